package io.lakeshift.core.jdbc;

import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.config.SourceTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that turns a source into JDBC connection properties: user, password and the
 * source's {@link SourceTls transport security}, in the words of the driver its URL names
 * (PostgreSQL's pgjdbc, or MySQL Connector/J, which also serves MariaDB). Every JDBC connection
 * Lakeshift opens to a source, Spark's JDBC reads included, takes its properties from here.
 */
public final class SourceConnections {

    /** One truststore per CA file and process, in an owner-only folder removed at exit. */
    private static final Map<Path, PemTrustStore> TRUST_STORES = new ConcurrentHashMap<>();
    private static volatile Path trustStoreDir;

    private SourceConnections() {
    }

    /** Opens a connection to the source's own database URL. */
    public static Connection open(SourceConfig source) throws SQLException {
        return open(source, source.jdbcUrl());
    }

    /** Opens a connection to {@code url} (a URL of the source's server) as the source's user. */
    public static Connection open(SourceConfig source, String url) throws SQLException {
        try {
            return DriverManager.getConnection(url, properties(source, url));
        } catch (SQLException e) {
            if (source.tls() == null || !tlsFailure(e)) {
                throw e;
            }
            // The driver names the failure (PKIX, hostname); the hint names the settings to look at.
            throw new SQLException(e.getMessage() + " (the source's tls: mode " + source.tls().mode()
                    + (source.tls().caFile() == null ? "" : ", caFile " + source.tls().caFile() + ", which must hold the CA that"
                            + " signed the server's certificate") + ")", e.getSQLState(), e);
        }
    }

    private static boolean tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || (t.getMessage() != null && t.getMessage().contains("SSL error"))) {
                return true;
            }
        }
        return false;
    }

    /** The properties of a connection to the source's own database URL. */
    public static Properties properties(SourceConfig source) {
        return properties(source, source.jdbcUrl());
    }

    /**
     * The properties of a connection to {@code url}: user and password when set, then TLS.
     *
     * @throws IllegalArgumentException when the source asks for TLS on a driver Lakeshift cannot configure
     */
    public static Properties properties(SourceConfig source, String url) {
        Properties props = new Properties();
        if (source.username() != null) {
            props.setProperty("user", source.username());
        }
        if (!source.password().isEmpty()) {
            props.setProperty("password", source.password().reveal());
        }
        props.putAll(tls(source, url));
        return props;
    }

    /** The same properties as a map, for Spark's JDBC options. */
    public static Map<String, String> options(SourceConfig source, String url) {
        Map<String, String> options = new LinkedHashMap<>();
        properties(source, url).forEach((k, v) -> options.put((String) k, (String) v));
        return options;
    }

    public static Map<String, String> options(SourceConfig source) {
        return options(source, source.jdbcUrl());
    }

    /** Whether Lakeshift can set TLS on connections to {@code url}. */
    public static boolean supportsTls(String url) {
        return driver(url) != null;
    }

    /** Just the TLS properties; empty when the source declares no {@code tls} (the driver's default). */
    static Map<String, String> tls(SourceConfig source, String url) {
        SourceTls tls = source.tls();
        if (tls == null) {
            return Map.of();
        }
        String driver = driver(url);
        if (driver == null) {
            throw new IllegalArgumentException("source '" + source.name() + "': tls is set, but Lakeshift knows the TLS settings"
                    + " of PostgreSQL and MySQL/MariaDB URLs only, not of " + url.substring(0, Math.min(url.length(), 20)) + "...");
        }
        Map<String, String> props = new LinkedHashMap<>();
        if ("postgresql".equals(driver)) {
            if (!tls.disabled()) {
                props.put("ssl", "true");
            }
            props.put("sslmode", tls.mode());
            if (tls.caFile() != null && !tls.disabled()) {
                props.put("sslrootcert", tls.caFile());
            }
        } else {
            props.put("sslMode", mysqlMode(tls.mode()).toUpperCase(Locale.ROOT));
            if (tls.verifies()) {
                PemTrustStore store = trustStore(Path.of(tls.caFile()));
                props.put("trustCertificateKeyStoreUrl", store.path().toUri().toString());
                props.put("trustCertificateKeyStoreType", PemTrustStore.TYPE);
                props.put("trustCertificateKeyStorePassword", store.password());
            }
        }
        return props;
    }

    /** A mode in the words of MySQL (Connector/J's sslMode, Debezium's database.ssl.mode): disabled, required, ... */
    public static String mysqlMode(String mode) {
        return switch (mode) {
            case SourceTls.DISABLE -> "disabled";
            case SourceTls.REQUIRE -> "required";
            case SourceTls.VERIFY_CA -> "verify_ca";
            case SourceTls.VERIFY_FULL -> "verify_identity";
            default -> throw new IllegalArgumentException("unknown tls mode '" + mode + "' (one of " + SourceTls.MODES + ")");
        };
    }

    private static String driver(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return "postgresql";
        }
        return url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:") ? "mysql" : null;
    }

    private static PemTrustStore trustStore(Path caFile) {
        return TRUST_STORES.computeIfAbsent(caFile.toAbsolutePath().normalize(), ca -> {
            try {
                Path store = privateDir().resolve("ca-" + TRUST_STORES.size() + ".p12");
                store.toFile().deleteOnExit();
                return PemTrustStore.write(ca, store);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build a truststore from " + ca + ": " + e.getMessage(), e);
            }
        });
    }

    private static synchronized Path privateDir() throws IOException {
        if (trustStoreDir == null) {
            Path dir = Files.createTempDirectory("lakeshift-tls-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            dir.toFile().deleteOnExit();
            trustStoreDir = dir;
        }
        return trustStoreDir;
    }
}
