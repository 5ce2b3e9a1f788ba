package io.lakeshift.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration of a Lakeshift process, read by {@link ConfigLoader}: embedded defaults,
 * then the user's YAML file, then {@code --set key=value} overrides, then validated.
 *
 * @param dataDir where embedded state lives: catalog, warehouse, checkpoints, offsets
 * @param kafka the Kafka backbone
 * @param sources the captured databases
 * @param catalog the Iceberg catalog
 * @param spark how Spark jobs run
 * @param pipelines source table to lakehouse table; when empty, one per captured table
 * @param demo the demo workload
 * @param airflow the Airflow that schedules the remaining batch jobs
 * @param metrics metrics and status reporting of long-running processes
 * @param ingestion restarts and give-up of failing CDC sources; defaults when absent
 * @param console the status console's address; defaults when absent
 */
public record LakeshiftConfig(
        Path dataDir,
        KafkaConfig kafka,
        List<SourceConfig> sources,
        CatalogConfig catalog,
        SparkConfig spark,
        List<PipelineConfig> pipelines,
        DemoConfig demo,
        AirflowConfig airflow,
        MetricsConfig metrics,
        IngestionConfig ingestion,
        ConsoleConfig console) {

    public LakeshiftConfig {
        ingestion = ingestion == null ? IngestionConfig.DEFAULTS : ingestion;
        console = console == null ? ConsoleConfig.DEFAULTS : console;
        sources = sources == null ? List.of() : List.copyOf(sources);
        pipelines = pipelines == null || pipelines.isEmpty() ? derivePipelines(sources) : List.copyOf(pipelines);
        if (catalog != null && catalog.lowerCaseNames()) {
            pipelines = pipelines.stream().map(LakeshiftConfig::lowerCaseTarget).toList();
        }
    }

    /** Lake names every engine can query: Trino, for one, folds identifiers to lower case. */
    private static PipelineConfig lowerCaseTarget(PipelineConfig p) {
        return p.target() == null ? p : p.withTarget(p.target().toLowerCase(java.util.Locale.ROOT));
    }

    public Optional<SourceConfig> source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<PipelineConfig> pipeline(String name) {
        return pipelines.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public List<PipelineConfig> pipelinesOf(String sourceName) {
        return pipelines.stream().filter(p -> p.source().equals(sourceName)).toList();
    }

    public LakeshiftConfig withKafka(KafkaConfig newKafka) {
        return new LakeshiftConfig(dataDir, newKafka, sources, catalog, spark, pipelines, demo, airflow, metrics, ingestion, console);
    }

    public LakeshiftConfig withSource(SourceConfig replaced) {
        List<SourceConfig> list = sources.stream().map(s -> s.name().equals(replaced.name()) ? replaced : s).toList();
        return new LakeshiftConfig(dataDir, kafka, list, catalog, spark, pipelines, demo, airflow, metrics, ingestion, console);
    }

    public LakeshiftConfig withDemo(DemoConfig newDemo) {
        return new LakeshiftConfig(dataDir, kafka, sources, catalog, spark, pipelines, newDemo, airflow, metrics, ingestion, console);
    }

    /** One pipeline per captured table: {@code <source>.<table>} into namespace {@code <source>}. */
    private static List<PipelineConfig> derivePipelines(List<SourceConfig> sources) {
        List<PipelineConfig> derived = new ArrayList<>();
        for (SourceConfig source : sources) {
            for (String table : source.tables()) {
                if (table.indexOf('.') <= 0) {
                    continue; // reported by validation as not schema.table
                }
                String tableName = table.substring(table.indexOf('.') + 1);
                derived.add(new PipelineConfig(source.name() + "." + tableName.toLowerCase(java.util.Locale.ROOT), source.name(), table,
                        source.name() + "." + tableName, List.of(), "STREAMING", null, null, null, null, null, null));
            }
        }
        return List.copyOf(derived);
    }
}
