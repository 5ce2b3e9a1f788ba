package io.lakeshift.lakehouse;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default catalog database: a PostgreSQL server run from the zonky binaries, its data
 * under the Lakeshift data folder ({@code <dataDir>/catalog-db}), kept across runs, holding
 * Iceberg's JDBC catalog tables in database {@value #DATABASE}. PostgreSQL rather than a SQLite
 * file so that engines BI users already run (Trino's Iceberg connector, PyIceberg's SQL catalog,
 * Spark, Flink) can read the same catalog over the network while Lakeshift runs.
 *
 * <p>Several lakeshift processes may share it: the first one starts the server and owns it (and
 * stops it on {@link #close()}); the others attach to the running server. The port is chosen once
 * and remembered in {@code <dataDir>/catalog-db.port}, so a BI engine's configuration stays valid.
 * The server listens on 127.0.0.1 only and trusts local connections, as a development database.
 */
public final class EmbeddedCatalogDatabase implements AutoCloseable {

    /** The database that holds the Iceberg catalog tables. */
    public static final String DATABASE = "lakeshift_catalog";
    /** The database user Lakeshift and BI engines connect as. */
    public static final String USER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCatalogDatabase.class);
    private static final String HOST = "127.0.0.1";

    private final EmbeddedPostgres owned;
    private final int port;

    private EmbeddedCatalogDatabase(EmbeddedPostgres owned, int port) {
        this.owned = owned;
        this.port = port;
    }

    private static final java.util.Map<Path, EmbeddedCatalogDatabase> SHARED = new java.util.HashMap<>();

    /**
     * The database on {@code dataDir} for this whole process: attached or started on first use,
     * stopped (if this process started it) when the JVM exits.
     */
    static synchronized EmbeddedCatalogDatabase shared(Path dataDir, int requestedPort) {
        Path key = dataDir.toAbsolutePath().normalize();
        EmbeddedCatalogDatabase db = SHARED.get(key);
        if (db == null || (db.owned == null && runningPort(key) == null)) {
            db = attachOrStart(key, requestedPort);
            SHARED.put(key, db);
            if (db.owner()) {
                EmbeddedCatalogDatabase started = db;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "lakeshift-catalog-db-stop"));
            }
        }
        return db;
    }

    /**
     * Attaches to the server running on {@code dataDir}, or starts it.
     *
     * @param dataDir the server's data folder; created on first use and kept
     * @param requestedPort the port to listen on, or 0 for the remembered one (a free one the first time)
     */
    public static EmbeddedCatalogDatabase attachOrStart(Path dataDir, int requestedPort) {
        try {
            Files.createDirectories(dataDir.getParent());
            Path lockFile = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                Integer running = runningPort(dataDir);
                if (running != null) {
                    LOG.info("Attached to the embedded catalog database on {}:{} (data in {})", HOST, running, dataDir);
                    return new EmbeddedCatalogDatabase(null, running);
                }
                return start(dataDir, requestedPort);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded catalog database in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static EmbeddedCatalogDatabase start(Path dataDir, int requestedPort) throws IOException {
        Path portFile = dataDir.resolveSibling(dataDir.getFileName() + ".port");
        int port = requestedPort > 0 ? requestedPort : rememberedOrFreePort(portFile);
        Files.createDirectories(dataDir);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", HOST)
                .setServerConfig("timezone", "UTC")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Files.writeString(portFile, Integer.toString(port) + "\n", StandardCharsets.UTF_8);
        EmbeddedCatalogDatabase db = new EmbeddedCatalogDatabase(pg, port);
        try {
            db.createDatabaseIfMissing();
        } catch (SQLException e) {
            db.close();
            throw new IllegalStateException("cannot create catalog database " + DATABASE + ": " + e.getMessage(), e);
        }
        LOG.info("Embedded catalog database started on {}:{} (data in {})", HOST, port, dataDir);
        return db;
    }

    /** The port of a server already running on {@code dataDir} and accepting connections, or null. */
    static Integer runningPort(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.size() < 4) {
                return null;
            }
            int port = Integer.parseInt(lines.get(3).trim());
            try (Connection ignored = connect(port, "postgres")) {
                return port;
            }
        } catch (IOException | NumberFormatException | SQLException e) {
            LOG.debug("No embedded catalog database running on {}: {}", dataDir, e.getMessage());
            return null;
        }
    }

    private static int rememberedOrFreePort(Path portFile) throws IOException {
        if (Files.isRegularFile(portFile)) {
            int remembered = Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).trim());
            if (isFree(remembered)) {
                return remembered;
            }
            LOG.warn("Port {} of the embedded catalog database is taken; choosing another (update BI engines' catalog URL)",
                    remembered);
        }
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, java.net.InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection c = connect(port, "postgres"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("CREATE DATABASE " + DATABASE);
        }
    }

    private static Connection connect(int port, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + port + "/" + database, props);
    }

    public int port() {
        return port;
    }

    /** Whether this process started the server (and stops it on close). */
    public boolean owner() {
        return owned != null;
    }

    /** The JDBC URL of the catalog database, for Lakeshift and for BI engines. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE;
    }

    /** The catalog pointed at this database: a JDBC catalog, user {@value #USER}, no password. */
    public CatalogConfig bind(CatalogConfig catalog) {
        return new CatalogConfig(catalog.name(), "jdbc", jdbcUrl(), catalog.warehouse(), USER, Secret.empty(),
                catalog.properties(), catalog.lowerCaseNames());
    }

    /** Stops the server if this process started it; attached processes leave it running. */
    @Override
    public void close() {
        if (owned == null) {
            return;
        }
        try {
            owned.close();
            LOG.info("Embedded catalog database on port {} stopped", port);
        } catch (IOException e) {
            LOG.warn("Stopping the embedded catalog database on port {} failed", port, e);
        }
    }
}
