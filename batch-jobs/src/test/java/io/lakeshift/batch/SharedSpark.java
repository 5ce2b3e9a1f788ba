package io.lakeshift.batch;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.lakehouse.CatalogRuntime;
import io.lakeshift.lakehouse.SparkSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of this test JVM (failsafe runs every IT class in one JVM), shared by all
 * test classes, with the lakehouse catalog in the embedded PostgreSQL catalog database under a
 * temporary data folder: the same JDBC-catalog-in-PostgreSQL that BI engines read. Each test class
 * uses its own namespaces.
 */
final class SharedSpark {

    static final String CATALOG = "lakeshift";

    private static Path dataDir;
    private static CatalogRuntime catalog;
    private static SparkSession spark;

    private SharedSpark() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            LakeshiftConfig config = config();
            spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-batch-it"))
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                spark.stop();
                catalog.close();
            }, "lakeshift-it-shutdown"));
        }
        return spark;
    }

    /** The test configuration, with {@code overrides} ({@code key=value}) applied and the shared catalog. */
    static synchronized LakeshiftConfig config(String... overrides) {
        if (dataDir == null) {
            try {
                dataDir = Files.createTempDirectory("lakeshift-batch-it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LakeshiftConfig base = ConfigLoader.load(null, dataDir, List.of("spark.master=local[2]"));
            catalog = CatalogRuntime.start(CatalogRuntime.withCatalog(base, new CatalogConfig(CATALOG, "jdbc",
                    CatalogRuntime.EMBEDDED, dataDir.resolve("warehouse").toString(), "", Secret.empty(), Map.of())));
        }
        List<String> all = new ArrayList<>(List.of("spark.master=local[2]"));
        all.addAll(List.of(overrides));
        LakeshiftConfig loaded = ConfigLoader.load(null, dataDir, all);
        return CatalogRuntime.withCatalog(loaded, catalog.catalog());
    }

    static Path dataDir() {
        config();
        return dataDir;
    }

    static String table(String name) {
        return CATALOG + "." + name;
    }
}
