package io.lakeshift.benchmarks;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.config.SparkConfig;
import io.lakeshift.lakehouse.CatalogRuntime;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's configuration: the operator's Spark settings, everything else on a private
 * embedded stack under the bench's work folder (its own PostgreSQL source, Kafka broker, catalog,
 * warehouse and checkpoints), so a bench never touches the operator's lakehouse.
 */
final class IncrementalBenchConfig {

    static final String SOURCE = "retail";
    static final String PASSWORD = "bench";

    private IncrementalBenchConfig() {
    }

    /**
     * The bench configuration before the embedded servers have ports.
     *
     * @param clusterRows 0 for unpartitioned tables; else orders and order lines are partitioned by
     *     {@code truncate(clusterRows, order_id)}, so a change to recent orders touches few partitions
     */
    static LakeshiftConfig of(LakeshiftConfig operator, Path work, long clusterRows) {
        SourceConfig source = new SourceConfig(SOURCE, "postgres", SourceConfig.EMBEDDED, 5432, "retail", "lakeshift",
                Secret.of(PASSWORD), List.of("retail.customers", "retail.orders", "retail.order_lines"), "no_data",
                Map.of("max.batch.size", "8192"), null, Map.of());
        SparkConfig spark = new SparkConfig(operator.spark().master(), operator.spark().shufflePartitions(),
                work.resolve("checkpoints").toString(), operator.spark().triggerIntervalMs(),
                operator.spark().maxOffsetsPerTrigger(), operator.spark().conf());
        // The embedded catalog database (PostgreSQL) under the work folder: the catalog BI engines can read.
        CatalogConfig catalog = new CatalogConfig(operator.catalog().name(), "jdbc", CatalogRuntime.EMBEDDED,
                work.resolve("warehouse").toString(), "", Secret.empty(), Map.of());
        List<PipelineConfig> pipelines = List.of(
                pipeline("customers", List.of()),
                pipeline("orders", clusterRows > 0 ? List.of("truncate(" + clusterRows + ", order_id)") : List.of()),
                pipeline("order_lines", clusterRows > 0 ? List.of("truncate(" + clusterRows + ", order_id)") : List.of()));
        return copy(operator, Map.of("dataDir", work, "sources", List.of(source), "pipelines", pipelines,
                "spark", spark, "catalog", catalog, "kafka", operator.kafka().withBootstrapServers("embedded")));
    }

    private static PipelineConfig pipeline(String table, List<String> partitionBy) {
        return new PipelineConfig(SOURCE + "." + table, SOURCE, "retail." + table, SOURCE + "." + table, List.of(), "STREAMING",
                null, null, null, partitionBy, List.of(), null);
    }

    /** The configuration with some components replaced, by name; kept generic as core's configuration grows. */
    static LakeshiftConfig copy(LakeshiftConfig config, Map<String, Object> replaced) {
        RecordComponent[] components = LakeshiftConfig.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = replaced.containsKey(components[i].getName()) ? replaced.get(components[i].getName())
                        : components[i].getAccessor().invoke(config);
            }
            return LakeshiftConfig.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the bench configuration", e);
        }
    }
}
