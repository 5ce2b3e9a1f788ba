package io.lakeshift.tests.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.batch.DailyRevenueJob;
import io.lakeshift.batch.FullReloadJob;
import io.lakeshift.batch.TableComparator;
import io.lakeshift.batch.TableComparison;
import io.lakeshift.runtime.demo.RetailSchema;
import io.lakeshift.runtime.demo.RetailWorkload;
import io.lakeshift.cli.migrate.SparkReconciler;
import io.lakeshift.cli.migrate.SparkTableCopier;
import io.lakeshift.runtime.stack.EmbeddedKafkaBroker;
import io.lakeshift.runtime.stack.EmbeddedPostgresServer;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.TopicNames;
import io.lakeshift.ingestion.CdcSource;
import io.lakeshift.kafka.TopicProvisioner;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.lakehouse.TableBootstrap;
import io.lakeshift.migration.AuditEntry;
import io.lakeshift.migration.GatesBlockedException;
import io.lakeshift.migration.MigrationEngine;
import io.lakeshift.migration.Playbooks;
import io.lakeshift.migration.ReconciliationReport;
import io.lakeshift.migration.Stage;
import io.lakeshift.migration.StreamingJobs;
import io.lakeshift.orchestration.airflow.AirflowClient;
import io.lakeshift.orchestration.airflow.AirflowClients;
import io.lakeshift.orchestration.airflow.AirflowFixture;
import io.lakeshift.cli.migrate.MigrationOutput;
import io.lakeshift.migration.MigrationState;
import io.lakeshift.migration.Plan;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline migrated from batch to streaming and back, end to end, on real components: embedded
 * PostgreSQL changing under a workload, Debezium into an in-process Kafka broker, the Spark apply
 * job into Iceberg, the batch reload and the daily revenue mart on Spark, the migration engine
 * with the Spark reconciler and table copier, and an in-process Airflow API server that checks
 * every request against Airflow's spec. The test plays Airflow's scheduler: a DAG run is the
 * reload of its table, and it runs only while the DAG is not paused.
 *
 * <p>After every stage the downstream mart must equal the mart pure batch gives for the same
 * source state (every table reloaded into a namespace of its own, the same mart job on top), the
 * DAG must have been paused and unpaused exactly at the transitions that should, and a row changed
 * behind the pipeline's back must block the gate, named.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationEndToEndIT {

    private static final String PIPELINE = "retail.orders";
    private static final String ORDERS_DAG = "retail_orders_reload";
    private static final String LINES_DAG = "retail_order_lines_reload";
    private static final String TOKEN = "e2e-airflow-token";
    private static final String MART = "marts.daily_revenue";
    private static final String PURE_BATCH = "purebatch";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String PLAYBOOK = """
            pipeline: retail.orders
            dag: retail_orders_reload
            schedule: "@hourly"
            batch: {positionProperty: lakeshift.source-position}
            shadow: {table: retail.orders__shadow}
            gates:
              SHADOW: {minTimeInStage: 0}
              INCREMENTAL: {consecutiveCleanReconciliations: 2, maxMismatchRatio: 0, maxFreshnessLag: 5m, minTimeInStage: 0}
              STREAMING: {maxFreshnessLag: 10m, minTimeInStage: 0}
            """;

    @TempDir
    static Path dir;

    static EmbeddedPostgresServer postgres;
    static EmbeddedKafkaBroker kafka;
    static AirflowFixture airflow;
    static LakeshiftConfig config;
    static SourceConfig source;
    static CdcSource cdc;
    static SparkSession spark;
    static Catalog catalog;
    static InProcessStreamingJobs jobs;
    static MigrationEngine engine;
    static Writer writer;
    static final java.util.concurrent.atomic.AtomicBoolean cdcStarted = new java.util.concurrent.atomic.AtomicBoolean();
    static final List<String> expectedPauseRequests = new ArrayList<>();
    static PrintWriter transcript;

    @BeforeAll
    static void startTheStack() throws Exception {
        Path data = dir.resolve("data");
        postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"));
        postgres.createDatabase("retail", "lakeshift", "lakeshift");
        kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        airflow = AirflowFixture.start(TOKEN).dag(ORDERS_DAG, false).dag(LINES_DAG, false);
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                kafka: {bootstrapServers: "%s"}
                sources:
                  - {name: retail, kind: postgres, host: %s, port: %d, database: retail, username: lakeshift,
                     password: lakeshift, snapshotMode: initial, tables: [retail.customers, retail.orders, retail.order_lines]}
                pipelines:
                  - {name: retail.orders, source: retail, table: retail.orders, target: retail.orders, stage: BATCH,
                     dag: retail_orders_reload, schedule: "@hourly"}
                  - {name: retail.order_lines, source: retail, table: retail.order_lines, target: retail.order_lines,
                     stage: BATCH, dag: retail_order_lines_reload, schedule: "@hourly"}
                spark: {shufflePartitions: 2, triggerIntervalMs: 500}
                airflow: {api: v2, baseUrl: "%s", token: %s, allowInsecureHttp: true}
                """.formatted(kafka.bootstrapServers(), postgres.host(), postgres.port(),
                airflow.config(TOKEN).baseUrl(), TOKEN));
        config = ConfigLoader.load(file, data, List.of());
        source = config.source("retail").orElseThrow();
        try (Connection c = connect()) {
            RetailSchema.create(c);
            RetailSchema.seed(c, 30, 120, new Random(7));
        }
        List<String> topics = new ArrayList<>();
        for (String table : source.tables()) {
            String topic = TopicNames.changes(config.kafka().topicPrefix(), "retail", "retail", table.substring("retail.".length()));
            topics.add(topic);
            topics.add(TopicNames.deadLetters(topic));
        }
        TopicProvisioner.ensure(config.kafka(), topics);

        catalog = IcebergCatalogs.open(config.catalog());
        try (Connection c = connect()) {
            TableBootstrap bootstrap = new TableBootstrap(catalog);
            for (String table : List.of("orders", "order_lines")) {
                SourceTable columns = SourceTable.read(c, "retail", table);
                bootstrap.ensureTable("retail." + table, columns, List.of(), true);
                bootstrap.ensureTable(PURE_BATCH + "." + table, columns, List.of(), true);
            }
        }
        spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-migration-e2e")).getOrCreate();
        cdc = new CdcSource(source, config.kafka(), data.resolve("offsets"), Map.of());
        jobs = new InProcessStreamingJobs(spark, config, file, cdc);
        Path playbooks = Files.createDirectories(dir.resolve("playbooks"));
        Files.writeString(playbooks.resolve("retail.orders.yaml"), PLAYBOOK);
        AirflowClient client = AirflowClients.create(config.airflow());
        engine = new MigrationEngine(config, Playbooks.load(playbooks), catalog, () -> client, jobs,
                s -> {
                    if (cdcStarted.compareAndSet(false, true)) {
                        cdc.start();
                    }
                },
                (from, to, summary) -> new SparkTableCopier(spark, config.catalog().name()).replaceContents(from, to, summary),
                new SparkReconciler(spark), Clock.systemUTC());
        writer = new Writer();
        Path target = Path.of(System.getProperty("lakeshift.transcript", "target/migration-walkthrough.txt"));
        Files.createDirectories(target.toAbsolutePath().getParent());
        transcript = new PrintWriter(Files.newBufferedWriter(target), true);
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {transcript, writer, jobs, cdc, spark == null ? null : spark::stop,
            () -> IcebergCatalogs.close(catalog), airflow, kafka, postgres}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("closing " + c + " failed: " + e);
                }
            }
        }
    }

    @Test
    @Order(1)
    void underPureBatchTheMartIsTheSameAsItsOwnReference() throws Exception {
        writer.start();
        scheduledBatchRuns();
        assertThat(engine.state(PIPELINE).stage()).isEqualTo(Stage.BATCH);
        assertMartEqualsPureBatch("BATCH");
    }

    @Test
    @Order(2)
    void intoShadowTheStreamingJobWritesTheShadowTableWhileBatchStaysInCharge() throws Exception {
        writer.start();
        shows("migrate status", out -> MigrationOutput.status(out, engine.status()));
        assertThat(applied(false, null).stage()).isEqualTo(Stage.SHADOW);

        assertThat(catalog.tableExists(TableIdentifier.parse("retail.orders__shadow"))).isTrue();
        assertThat(jobs.view(pipeline())).extracting(StreamingJobs.JobView::mode, StreamingJobs.JobView::table)
                .containsExactly(StreamingJobs.Mode.CONTINUOUS, "retail.orders__shadow");
        assertDagPauses();
        scheduledBatchRuns();
        assertMartEqualsPureBatch("SHADOW");
    }

    @Test
    @Order(3)
    void aRowChangedBehindThePipelinesBackBlocksTheGateAndIsNamed() throws Exception {
        writer.start();
        scheduledBatchRuns();
        ReconciliationReport clean = reconciled();
        assertThat(clean.clean()).as("reconciliation while the source changes: %s %s", clean.summary(), clean.samples()).isTrue();
        assertThat(clean.batchRows()).isPositive();

        writer.stop();
        jobs.awaitCaughtUp();
        long tampered = anyOrderId("lakeshift.retail.orders__shadow");
        spark.sql("UPDATE lakeshift.retail.orders__shadow SET status = 'TAMPERED' WHERE order_id = " + tampered);
        scheduledBatchRuns();

        assertThatThrownBy(() -> engine.apply(PIPELINE, false, null))
                .satisfies(e -> shows("migrate apply " + PIPELINE, out -> out.println(e.getMessage())))
                .isInstanceOf(GatesBlockedException.class)
                .hasMessageContaining("FAIL 2 consecutive clean reconciliations")
                .hasMessageContaining("order_id=" + tampered)
                .hasMessageContaining("TAMPERED");
        assertThat(engine.state(PIPELINE).stage()).isEqualTo(Stage.SHADOW);
        assertThat(engine.history(PIPELINE)).last().extracting(AuditEntry::outcome).isEqualTo(AuditEntry.BLOCKED);
        assertDagPauses();

        // the next change of that order in the source repairs the shadow table
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE retail.orders SET note = 'touched after tampering' WHERE order_id = " + tampered);
        }
        jobs.awaitCaughtUp();
        assertThat(spark.sql("SELECT status FROM lakeshift.retail.orders__shadow WHERE order_id = " + tampered)
                .first().getString(0)).isNotEqualTo("TAMPERED");
    }

    @Test
    @Order(4)
    void twoCleanReconciliationsLaterTheStreamingResultBecomesTheTableAndTheDagIsPaused() throws Exception {
        writer.start();
        for (int run = 0; run < 2; run++) {
            scheduledBatchRuns();
            ReconciliationReport report = reconciled();
            assertThat(report.clean()).as("run %d: %s %s", run, report.summary(), report.samples()).isTrue();
        }
        assertThat(engine.plan(PIPELINE).gatesPass()).as(engine.plan(PIPELINE).toString()).isTrue();
        shows("migrate status", out -> MigrationOutput.status(out, engine.status()));

        assertThat(applied(false, null).stage()).isEqualTo(Stage.INCREMENTAL);

        expectedPauseRequests.add("true");
        assertDagPauses();
        assertThat(jobs.view(pipeline())).extracting(StreamingJobs.JobView::mode, StreamingJobs.JobView::table)
                .containsExactly(StreamingJobs.Mode.SCHEDULED, "retail.orders");
        assertThat(engine.state(PIPELINE).lastBatchSnapshotId()).isNotNull();
        scheduledBatchRuns(); // the paused orders DAG runs no more; order_lines still reloads
        assertMartEqualsPureBatch("INCREMENTAL");
        assertThat(jobs.ticks()).isPositive();
    }

    @Test
    @Order(5)
    void intoStreamingTheJobRunsContinuouslyIntoTheTable() throws Exception {
        writer.start();
        assertThat(applied(false, null).stage()).isEqualTo(Stage.STREAMING);

        assertThat(jobs.view(pipeline())).extracting(StreamingJobs.JobView::mode, StreamingJobs.JobView::table)
                .containsExactly(StreamingJobs.Mode.CONTINUOUS, "retail.orders");
        assertDagPauses();
        scheduledBatchRuns();
        assertMartEqualsPureBatch("STREAMING");
    }

    @Test
    @Order(6)
    void oneStageBackAndForwardAgain() throws Exception {
        writer.start();
        assertThat(rolledBack("checking the rollback path").stage()).isEqualTo(Stage.INCREMENTAL);
        assertThat(jobs.view(pipeline()).mode()).isEqualTo(StreamingJobs.Mode.SCHEDULED);
        assertDagPauses();
        scheduledBatchRuns();
        assertMartEqualsPureBatch("INCREMENTAL after rollback");

        writer.start();
        assertThat(applied(false, null).stage()).isEqualTo(Stage.STREAMING);
        assertThat(jobs.view(pipeline()).mode()).isEqualTo(StreamingJobs.Mode.CONTINUOUS);
        assertDagPauses();
        scheduledBatchRuns();
        assertMartEqualsPureBatch("STREAMING again");
    }

    @Test
    @Order(7)
    void backToShadowRestoresTheLastBatchStateAndUnpausesTheDag() throws Exception {
        writer.start();
        rolledBack("back to the batch DAG");
        long lastBatch = engine.state(PIPELINE).lastBatchSnapshotId();

        assertThat(rolledBack("back to the batch DAG").stage()).isEqualTo(Stage.SHADOW);

        expectedPauseRequests.add("false");
        assertDagPauses();
        Table orders = catalog.loadTable(TableIdentifier.parse("retail.orders"));
        assertThat(orders.currentSnapshot().snapshotId()).isEqualTo(lastBatch);
        assertThat(jobs.view(pipeline())).extracting(StreamingJobs.JobView::mode, StreamingJobs.JobView::table)
                .containsExactly(StreamingJobs.Mode.CONTINUOUS, "retail.orders__shadow");
        scheduledBatchRuns(); // the unpaused DAG reloads the table again
        assertMartEqualsPureBatch("SHADOW after rollback");

        writer.start();
        scheduledBatchRuns();
        ReconciliationReport report = reconciled();
        assertThat(report.clean()).as("%s %s", report.summary(), report.samples()).isTrue();
        shows("migrate status", out -> MigrationOutput.status(out, engine.status()));
        shows("migrate history " + PIPELINE + " --evidence", out -> MigrationOutput.history(out, engine.history(PIPELINE), true));

        List<String> transitions = engine.history(PIPELINE).stream()
                .filter(e -> e.outcome().equals(AuditEntry.COMPLETED) || e.outcome().equals(AuditEntry.BLOCKED))
                .map(e -> e.action() + " " + e.from() + "->" + e.to() + " " + e.outcome()).toList();
        assertThat(transitions).containsExactly(
                "apply BATCH->SHADOW COMPLETED",
                "apply SHADOW->INCREMENTAL BLOCKED",
                "apply SHADOW->INCREMENTAL COMPLETED",
                "apply INCREMENTAL->STREAMING COMPLETED",
                "rollback STREAMING->INCREMENTAL COMPLETED",
                "apply INCREMENTAL->STREAMING COMPLETED",
                "rollback STREAMING->INCREMENTAL COMPLETED",
                "rollback INCREMENTAL->SHADOW COMPLETED");
        assertThat(airflow.violations()).isEmpty();
    }

    // ---- what the commands print, recorded for the README's walk-through ----

    /** Records what {@code lakeshift <command>} prints at this point, through the commands' own output code. */
    private static void shows(String command, Consumer<PrintWriter> output) {
        transcript.println("$ lakeshift " + command);
        output.accept(transcript);
        transcript.println();
    }

    private static MigrationState applied(boolean force, String reason) throws Exception {
        MigrationState before = engine.state(PIPELINE);
        Plan plan = engine.plan(PIPELINE);
        MigrationState after = engine.apply(PIPELINE, force, reason);
        shows("migrate apply " + PIPELINE, out -> {
            MigrationOutput.plan(out, plan);
            MigrationOutput.moved(out, PIPELINE, before, after, null);
        });
        return after;
    }

    private static MigrationState rolledBack(String reason) throws Exception {
        MigrationState before = engine.state(PIPELINE);
        MigrationState after = engine.rollback(PIPELINE, reason);
        shows("migrate rollback " + PIPELINE + " --reason '" + reason + "'",
                out -> MigrationOutput.moved(out, PIPELINE, before, after, "rollback"));
        return after;
    }

    private static ReconciliationReport reconciled() throws Exception {
        ReconciliationReport report = engine.reconcile(PIPELINE);
        shows("reconcile " + PIPELINE, out -> MigrationOutput.reconciliation(out, PIPELINE, report));
        return report;
    }

    // ---- the test's Airflow scheduler and checks ----

    /** One tick of every DAG's schedule: each DAG that is not paused runs, reloading its table. */
    private static void scheduledBatchRuns() throws Exception {
        for (PipelineConfig p : config.pipelines()) {
            if (!airflow.paused(p.dag())) {
                FullReloadJob.Result r = FullReloadJob.run(spark, config, p, FullReloadJob.Options.defaults());
                assertThat(r.rows()).as(r.summaryLine()).isPositive();
            }
        }
    }

    /**
     * Stops the source, lets every stage catch up with it (the DAGs that run reload, the streaming
     * job applies, or its next tick does), runs the mart, and compares it with the mart computed
     * by pure batch: every table reloaded from the same source state, the same job on top.
     */
    private static void assertMartEqualsPureBatch(String when) throws Exception {
        writer.stop();
        if (jobs.view(pipeline()).mode() != StreamingJobs.Mode.NONE) {
            jobs.awaitCaughtUp();
        }
        scheduledBatchRuns();
        DailyRevenueJob.run(spark, config.catalog().name(), "retail", MART);

        for (PipelineConfig p : config.pipelines()) {
            PipelineConfig reference = new PipelineConfig(p.name() + "-pure-batch", p.source(), p.table(),
                    PURE_BATCH + "." + p.sourceTable(), p.key(), "BATCH", null, null, null, null, null, null);
            FullReloadJob.run(spark, config, reference, FullReloadJob.Options.defaults());
        }
        DailyRevenueJob.run(spark, config.catalog().name(), PURE_BATCH, "marts.daily_revenue_pure_batch");

        TableComparison mart = TableComparator.compare(MART + " in " + when,
                spark.table("lakeshift.marts.daily_revenue_pure_batch"), spark.table("lakeshift." + MART));
        assertThat(mart.matches()).as("%s%nonly under pure batch: %s%nonly under %s: %s", mart.summaryLine(),
                mart.missingSample(), when, mart.extraSample()).isTrue();
        assertThat(mart.sourceRows()).isPositive();
    }

    /** The DAG's paused flag changed exactly by the transitions that should change it, and no others. */
    private static void assertDagPauses() {
        assertThat(airflow.pauseRequests()).hasSize(expectedPauseRequests.size());
        for (int i = 0; i < expectedPauseRequests.size(); i++) {
            assertThat(airflow.pauseRequests().get(i)).contains(ORDERS_DAG).contains("\"is_paused\":" + expectedPauseRequests.get(i));
        }
        boolean paused = !expectedPauseRequests.isEmpty() && expectedPauseRequests.get(expectedPauseRequests.size() - 1).equals("true");
        assertThat(airflow.paused(ORDERS_DAG)).isEqualTo(paused);
        assertThat(airflow.paused(LINES_DAG)).isFalse();
    }

    private static long anyOrderId(String table) {
        return spark.sql("SELECT min(order_id) FROM " + table).first().getLong(0);
    }

    private static PipelineConfig pipeline() {
        return config.pipeline(PIPELINE).orElseThrow();
    }

    static Connection connect() throws java.sql.SQLException {
        Properties props = new Properties();
        props.setProperty("user", source.username());
        props.setProperty("password", source.password().reveal());
        return DriverManager.getConnection(source.jdbcUrl(), props);
    }

    /** The legacy application writing to the source: started and stopped around each step. */
    static final class Writer implements AutoCloseable {
        private final Random random = new Random(11);
        private Connection connection;
        private RetailWorkload workload;
        private Thread thread;

        void start() throws Exception {
            if (thread != null) {
                return;
            }
            connection = connect();
            workload = new RetailWorkload(connection, new Random(random.nextLong()), Duration.ofHours(1), 15);
            thread = new Thread(workload, "e2e-source-writer");
            thread.start();
            Thread.sleep(1_000);
        }

        void stop() throws Exception {
            if (thread == null) {
                return;
            }
            workload.stop();
            thread.join(30_000);
            assertThat(thread.isAlive()).as("writer stopped").isFalse();
            connection.close();
            assertThat(workload.inserts() + workload.updates() + workload.deletes()).as("changes written").isPositive();
            thread = null;
        }

        @Override
        public void close() throws Exception {
            stop();
        }
    }
}
