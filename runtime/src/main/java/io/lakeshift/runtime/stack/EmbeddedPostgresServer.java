package io.lakeshift.runtime.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started from the zonky artifact's binaries, configured for logical
 * replication, with its data folder and log under the Lakeshift data folder. Stands in for the
 * legacy database in the demo and in tests.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a fresh server whose data lives in {@code dataDir} (emptied first). */
    public static EmbeddedPostgresServer start(Path dataDir) throws IOException {
        return start(dataDir, java.util.Map.of());
    }

    /**
     * Starts a fresh server with extra server settings (a benchmark's {@code shared_buffers}, say) over
     * the ones logical decoding needs.
     */
    public static EmbeddedPostgresServer start(Path dataDir, java.util.Map<String, String> serverConfig) throws IOException {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "8")
                .setServerConfig("max_wal_senders", "8")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("timezone", "UTC")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()));
        serverConfig.forEach(builder::setServerConfig);
        EmbeddedPostgres pg = builder.start();
        LOG.info("Embedded PostgreSQL started on 127.0.0.1:{}, data in {}", pg.getPort(), dataDir);
        return new EmbeddedPostgresServer(pg);
    }

    public int port() {
        return postgres.getPort();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** Connection to the {@code postgres} database as the superuser. */
    public Connection superuserConnection() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /** Connection to {@code database} as {@code user}. */
    public Connection connect(String database, String user) throws SQLException {
        return postgres.getDatabase(user, database).getConnection();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /**
     * Creates a login role with replication rights and a database it owns. The server trusts
     * loopback connections, so the password is set for clients that send one.
     */
    public void createDatabase(String database, String user, String password) throws SQLException {
        try (Connection c = superuserConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE \"" + user + "\" WITH LOGIN REPLICATION PASSWORD '" + password.replace("'", "''") + "'");
            st.execute("CREATE DATABASE \"" + database + "\" OWNER \"" + user + "\"");
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
        LOG.info("Embedded PostgreSQL stopped");
    }
}
