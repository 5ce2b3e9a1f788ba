package io.lakeshift.cli.migrate;

import io.lakeshift.runtime.stack.EmbeddedKafkaAddress;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.migration.MigrationEngine;
import io.lakeshift.migration.Playbooks;
import io.lakeshift.orchestration.airflow.AirflowClient;
import io.lakeshift.orchestration.airflow.AirflowClients;
import io.lakeshift.orchestration.launcher.JobLauncher;
import io.lakeshift.orchestration.launcher.JobLaunchers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Model.CommandSpec;

/** The migration engine of one command, wired to the real components; Spark and Airflow start only when a step needs them. */
public final class MigrationContext implements AutoCloseable {

    private final LakeshiftConfig config;
    private final Catalog catalog;
    private final MigrationEngine engine;
    private SparkSession spark;
    private AirflowClient airflow;

    public MigrationContext(CommonOptions common, CommandSpec spec, Path playbookDir) {
        LakeshiftConfig loaded = common.load();
        // beside a running 'lakeshift up', the embedded broker of the data folder is the Kafka to use
        this.config = loaded.kafka().embedded() && EmbeddedKafkaAddress.running(loaded.dataDir()).isPresent()
                ? EmbeddedKafkaAddress.resolve(loaded, "migrate") : loaded;
        Path userConfig = spec.findOption("--config") == null ? null : spec.findOption("--config").getValue();
        List<String> overrides = spec.findOption("--set") == null ? List.of() : spec.findOption("--set").getValue();
        Playbooks playbooks = playbookDir == null ? Playbooks.bundled() : Playbooks.load(playbookDir);
        this.catalog = IcebergCatalogs.open(config.catalog());
        List<String> sets = overrides == null ? List.of() : overrides;
        JobLauncher launcher = JobLaunchers.local(config.dataDir().resolve("jobs"));
        LauncherStreamingJobs jobs = new LauncherStreamingJobs(config, userConfig, sets, launcher);
        LauncherIngestion ingestion = new LauncherIngestion(config, userConfig, sets, launcher);
        this.engine = new MigrationEngine(config, playbooks, catalog, this::airflow, jobs, ingestion,
                (from, to, summary) -> new SparkTableCopier(spark(), config.catalog().name()).replaceContents(from, to, summary),
                request -> new SparkReconciler(spark()).reconcile(request), Clock.systemUTC());
    }

    public MigrationEngine engine() {
        return engine;
    }

    LakeshiftConfig config() {
        return config;
    }

    private synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-migrate")).getOrCreate();
        }
        return spark;
    }

    private synchronized AirflowClient airflow() {
        if (airflow == null) {
            airflow = AirflowClients.create(config.airflow());
        }
        return airflow;
    }

    @Override
    public void close() {
        if (spark != null) {
            spark.stop();
        }
        IcebergCatalogs.close(catalog);
    }
}
