package io.lakeshift.ingestion;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The MySQL JDBC driver, made usable by Debezium's MySQL connector against MariaDB servers.
 *
 * <p>Debezium 3.6's MySQL connector reads the binlog position with {@code SHOW BINARY LOG STATUS}
 * whenever the server's major version is above 8, which MariaDB's "10.11" is, but MariaDB only
 * knows {@code SHOW MASTER STATUS} (same columns). The dedicated MariaDB connector is not served
 * at Debezium 3.6, so Lakeshift points the MySQL connector at this driver
 * ({@code database.jdbc.driver}) for {@code mariadb} sources: on a MariaDB server it rewrites that
 * one statement and nothing else; on MySQL it is the plain driver.
 */
public final class MariaDbCompatibleDriver implements Driver {

    private static final String MYSQL_STATEMENT = "SHOW BINARY LOG STATUS";
    private static final String MARIADB_STATEMENT = "SHOW MASTER STATUS";

    private final Driver mysql = new com.mysql.cj.jdbc.Driver();

    /** Debezium instantiates the driver class by reflection. */
    public MariaDbCompatibleDriver() throws SQLException {
        // com.mysql.cj.jdbc.Driver's constructor declares SQLException
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection connection = mysql.connect(url, info);
        if (connection == null) {
            return null;
        }
        DatabaseMetaData meta = connection.getMetaData();
        if (!meta.getDatabaseProductVersion().toLowerCase(Locale.ROOT).contains("mariadb")) {
            return connection;
        }
        return proxy(Connection.class, connection);
    }

    static String rewrite(String sql) {
        return sql != null && MYSQL_STATEMENT.equalsIgnoreCase(sql.strip()) ? MARIADB_STATEMENT : sql;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target) {
        InvocationHandler handler = (p, method, args) -> invoke(target, method, args);
        return (T) Proxy.newProxyInstance(MariaDbCompatibleDriver.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        if (args != null && args.length > 0 && args[0] instanceof String sql
                && (method.getName().startsWith("execute") || method.getName().startsWith("prepare")
                        || method.getName().equals("addBatch"))) {
            args[0] = rewrite(sql);
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (result instanceof Statement statement && method.getReturnType() == Statement.class) {
            return proxy(Statement.class, statement);
        }
        return result;
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return mysql.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return mysql.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return mysql.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return mysql.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return mysql.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return mysql.getParentLogger();
    }
}
