package io.lakeshift.lakehouse;

import io.lakeshift.core.config.CatalogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the configured Iceberg catalog through the Java API. */
public final class IcebergCatalogs {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergCatalogs.class);

    private IcebergCatalogs() {
    }

    /**
     * Opens the catalog; close it with {@link #close} when done (JDBC and REST catalogs hold
     * connections). A catalog asking for the embedded catalog database gets it first
     * ({@link CatalogRuntime#resolve}).
     */
    public static Catalog open(CatalogConfig config) {
        CatalogConfig catalog = CatalogRuntime.resolve(config);
        prepareLocalStorage(catalog);
        LOG.info("Opening Iceberg {}", CatalogProperties.describe(catalog));
        return CatalogUtil.buildIcebergCatalog(catalog.name(), CatalogProperties.of(catalog), hadoopConfiguration(catalog));
    }

    /** A Hadoop configuration with the catalog's {@code hadoop.*} settings applied. */
    public static Configuration hadoopConfiguration(CatalogConfig catalog) {
        Configuration conf = new Configuration();
        CatalogProperties.hadoopConf(catalog).forEach(conf::set);
        return conf;
    }

    /** Closes a catalog opened by {@link #open}; failures are logged, never thrown. */
    public static void close(Catalog catalog) {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Closing catalog {} failed", catalog.name(), e);
            }
        }
    }

    /** Every table of the catalog, namespace by namespace (nested namespaces included), sorted. */
    public static List<TableIdentifier> allTables(Catalog catalog) {
        List<TableIdentifier> tables = new ArrayList<>();
        if (catalog instanceof SupportsNamespaces namespaces) {
            collect(catalog, namespaces, Namespace.empty(), tables);
        }
        tables.sort(java.util.Comparator.comparing(TableIdentifier::toString));
        return tables;
    }

    private static void collect(Catalog catalog, SupportsNamespaces namespaces, Namespace parent, List<TableIdentifier> out) {
        for (Namespace ns : namespaces.listNamespaces(parent)) {
            out.addAll(catalog.listTables(ns));
            collect(catalog, namespaces, ns, out);
        }
    }

    /** A local warehouse and a SQLite catalog file need their folders before first use. */
    public static void prepareLocalStorage(CatalogConfig catalog) {
        try {
            if (catalog.warehouse() != null && !catalog.warehouse().isBlank() && isLocal(catalog.warehouse())
                    && !"rest".equals(catalog.type())) {
                Files.createDirectories(Path.of(stripFileScheme(catalog.warehouse())));
            }
            String uri = catalog.uri();
            if (uri != null && uri.startsWith("jdbc:sqlite:") && !uri.contains(":memory:")) {
                Path db = Path.of(uri.substring("jdbc:sqlite:".length()));
                if (db.getParent() != null) {
                    Files.createDirectories(db.getParent());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create local catalog storage: " + e.getMessage(), e);
        }
    }

    private static boolean isLocal(String location) {
        return !location.contains("://") || location.startsWith("file:");
    }

    private static String stripFileScheme(String location) {
        return location.startsWith("file:") ? location.replaceFirst("^file:(//)?", "") : location;
    }
}
