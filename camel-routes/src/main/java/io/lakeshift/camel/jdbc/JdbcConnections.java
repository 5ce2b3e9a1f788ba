package io.lakeshift.camel.jdbc;

import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.core.jdbc.SourceConnections;
import java.sql.Connection;
import java.sql.SQLException;

/** Connections to a polled database, logged in as the source's user, with the source's TLS settings. */
final class JdbcConnections {

    private JdbcConnections() {
    }

    static Connection open(SourceSpec.Jdbc spec) throws SQLException {
        return SourceConnections.open(spec.source(), spec.url());
    }
}
