package io.lakeshift.tests.up;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * A team's own PostgreSQL as these tests stand it up: a server Lakeshift did not start, on loopback,
 * ready for logical replication, with one login role owning one database (the role a team grants
 * Lakeshift).
 */
final class TeamPostgres {

    private TeamPostgres() {
    }

    /**
     * Starts the server in {@code dataDirectory} and creates {@code role} (with REPLICATION when
     * {@code replication}) owning {@code database}.
     */
    static EmbeddedPostgres start(Path dataDirectory, String role, String password, String database, boolean replication)
            throws Exception {
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "4")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN" + (replication ? " REPLICATION" : "") + " PASSWORD '" + password + "'");
            st.execute("CREATE DATABASE " + database + " OWNER " + role);
        }
        return server;
    }

    /** A connection to {@code database} as {@code role}. */
    static Connection connect(EmbeddedPostgres server, String role, String password, String database) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("password", password);
        return DriverManager.getConnection(server.getJdbcUrl(role, database), p);
    }
}
