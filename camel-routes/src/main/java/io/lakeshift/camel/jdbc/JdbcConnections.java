package io.lakeshift.camel.jdbc;

import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.core.config.SourceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Connections to a polled database, logged in as the source's user. */
final class JdbcConnections {

    private JdbcConnections() {
    }

    static Connection open(SourceSpec.Jdbc spec) throws SQLException {
        SourceConfig source = spec.source();
        Properties credentials = new Properties();
        if (source.username() != null) {
            credentials.setProperty("user", source.username());
        }
        if (!source.password().isEmpty()) {
            credentials.setProperty("password", source.password().reveal());
        }
        return DriverManager.getConnection(spec.url(), credentials);
    }
}
