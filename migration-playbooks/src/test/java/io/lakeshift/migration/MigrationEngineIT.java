package io.lakeshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.orchestration.airflow.AirflowClient;
import io.lakeshift.orchestration.airflow.AirflowClients;
import io.lakeshift.orchestration.airflow.AirflowFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine against a real Iceberg catalog (tables, snapshots, commits through Iceberg's API) and
 * an Airflow API server checked against Airflow's spec; the streaming jobs and the reconciler are
 * this test's own implementations of the engine's interfaces (the end-to-end test in tests/ runs
 * the real ones on Spark and Kafka).
 */
class MigrationEngineIT {

    private static final String TOKEN = "migration-test-token";
    private static final String DAG = "retail_orders_reload";
    private static final String PLAYBOOK = """
            pipeline: retail.orders
            dag: retail_orders_reload
            schedule: "@hourly"
            gates:
              SHADOW: {minTimeInStage: 0}
              INCREMENTAL: {consecutiveCleanReconciliations: 2, maxMismatchRatio: 0, minTimeInStage: 0}
              STREAMING: {minTimeInStage: 0}
            """;

    @TempDir
    Path dir;

    private AirflowFixture airflow;
    private Catalog catalog;
    private LakeshiftConfig config;
    private final RecordingJobs jobs = new RecordingJobs();
    private final Deque<ReconciliationReport> reports = new ArrayDeque<>();
    private final AtomicInteger reconciliations = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        airflow = AirflowFixture.start(TOKEN).dag(DAG, false);
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                catalog: {type: hadoop, uri: "", warehouse: %s}
                pipelines:
                  - {name: retail.orders, source: retail, table: retail.orders, target: retail.orders, stage: BATCH}
                """.formatted(dir.resolve("warehouse")));
        config = ConfigLoader.load(file, dir.resolve("data"), List.of("airflow.baseUrl=" + airflow.config(TOKEN).baseUrl(),
                "airflow.token=" + TOKEN, "airflow.allowInsecureHttp=true"));
        catalog = IcebergCatalogs.open(config.catalog());
        ((SupportsNamespaces) catalog).createNamespace(Namespace.of("retail"));
        Schema schema = new Schema(List.of(Types.NestedField.required(1, "order_id", Types.LongType.get()),
                Types.NestedField.optional(2, "status", Types.StringType.get())), java.util.Set.of(1));
        catalog.createTable(TableIdentifier.of("retail", "orders"), schema, PartitionSpec.unpartitioned(),
                Map.of("format-version", "2"));
    }

    @AfterEach
    void tearDown() {
        IcebergCatalogs.close(catalog);
        airflow.close();
    }

    private MigrationEngine engine() {
        AirflowClient client = AirflowClients.create(config.airflow());
        return new MigrationEngine(config, Playbooks.parseAll(Map.of("retail.orders.yaml", PLAYBOOK)), catalog, () -> client,
                jobs, source -> jobs.calls.add("capture " + source.name()), this::copy, request -> {
                    reconciliations.incrementAndGet();
                    ReconciliationReport r = reports.pop();
                    return new ReconciliationReport(r.pipeline(), Instant.now(), request.position(), request.batchSnapshotId(),
                            r.batchRows(), r.streamingRows(), r.missing(), r.extra(), r.differing(), r.samples(), 1);
                }, Clock.systemUTC()).pollBatchRunsEvery(Duration.ofMillis(10));
    }

    @Test
    void movesAPipelineToStreamingOnEvidenceAndBackOneStageAtATime() throws Exception {
        long batch1 = batchRun("0/100", "b1");

        // BATCH -> SHADOW: no gate but time in stage
        MigrationEngine engine = engine();
        Plan plan = engine.plan("retail.orders");
        assertThat(plan.to()).isEqualTo(Stage.SHADOW);
        assertThat(plan.steps()).extracting(s -> s.substring(0, s.indexOf(':')))
                .containsExactly("create-shadow-table", "start-ingestion", "start-streaming-to-shadow");
        assertThat(engine.apply("retail.orders", false, null).stage()).isEqualTo(Stage.SHADOW);
        assertThat(catalog.tableExists(TableIdentifier.of("retail", "orders__shadow"))).isTrue();
        assertThat(jobs.calls).containsExactly("capture retail", "continuous retail.orders -> retail.orders__shadow");
        assertThat(airflow.paused(DAG)).isFalse();
        appendTo("retail.orders__shadow", "s1");

        // a mismatch blocks SHADOW -> INCREMENTAL and names the row
        reports.push(report(1, List.of("differing order_id=7: status batch 'shipped' streaming 'tampered'")));
        assertThatThrownBy(() -> engine.apply("retail.orders", false, null))
                .isInstanceOf(GatesBlockedException.class)
                .hasMessageContaining("FAIL 2 consecutive clean reconciliations")
                .hasMessageContaining("order_id=7: status batch 'shipped' streaming 'tampered'");
        assertThat(engine.state("retail.orders").stage()).isEqualTo(Stage.SHADOW);
        assertThat(airflow.paused(DAG)).isFalse();

        // two clean batch runs later the gates pass
        batchRun("0/200", "b2");
        reports.push(report(0, List.of()));
        engine.reconcile("retail.orders");
        long batch3 = batchRun("0/300", "b3");
        reports.push(report(0, List.of()));
        assertThat(engine.plan("retail.orders").gatesPass()).isFalse(); // batch run 3 is not reconciled yet

        // the step that schedules the incremental job fails once: the transition stays pending, survives a restart
        jobs.failNextSchedule = true;
        assertThatThrownBy(() -> engine.apply("retail.orders", false, null))
                .isInstanceOf(MigrationStepException.class).hasMessageContaining("schedule-incremental");
        assertThat(reconciliations).hasValue(3);
        MigrationState pending = engine.store().state("retail.orders").orElseThrow();
        assertThat(pending.stage()).isEqualTo(Stage.SHADOW);
        assertThat(pending.pending().doneSteps()).containsExactly("pause-batch-dag", "await-batch-runs",
                "record-last-batch-snapshot", "stop-streaming", "promote-shadow");
        assertThat(airflow.paused(DAG)).isTrue();
        Table main = table("retail.orders");
        long promoted = main.currentSnapshot().snapshotId();
        assertThat(files(main)).containsExactly("s1");

        MigrationEngine restarted = engine();
        assertThat(restarted.apply("retail.orders", false, null).stage()).isEqualTo(Stage.INCREMENTAL);
        assertThat(table("retail.orders").currentSnapshot().snapshotId()).as("promotion not repeated").isEqualTo(promoted);
        assertThat(jobs.calls).endsWith("stop retail.orders", "scheduled retail.orders -> retail.orders every @hourly");
        assertThat(restarted.state("retail.orders").lastBatchSnapshotId()).isEqualTo(batch3);

        // INCREMENTAL -> STREAMING, then back to INCREMENTAL: the DAG stays paused
        assertThat(restarted.apply("retail.orders", false, null).stage()).isEqualTo(Stage.STREAMING);
        assertThat(jobs.calls).last().isEqualTo("continuous retail.orders -> retail.orders");
        appendTo("retail.orders", "streamed-1");
        assertThat(restarted.rollback("retail.orders", "drill").stage()).isEqualTo(Stage.INCREMENTAL);
        assertThat(airflow.paused(DAG)).isTrue();

        // INCREMENTAL -> SHADOW: streamed state carried to the shadow, the table back at the last batch run, DAG unpaused
        assertThat(restarted.rollback("retail.orders", "drill").stage()).isEqualTo(Stage.SHADOW);
        assertThat(table("retail.orders").currentSnapshot().snapshotId()).isEqualTo(batch3);
        assertThat(files(table("retail.orders__shadow"))).containsExactlyInAnyOrder("s1", "streamed-1");
        assertThat(jobs.calls).last().isEqualTo("continuous retail.orders -> retail.orders__shadow");
        assertThat(airflow.paused(DAG)).isFalse();
        assertThat(airflow.pauseRequests()).hasSize(2);
        assertThat(airflow.violations()).isEmpty();
        assertThat(batch1).isNotEqualTo(batch3);

        // the audit log tells the whole story, also to a new process
        List<String> story = engine().history("retail.orders").stream()
                .map(e -> e.action() + " " + e.from() + "->" + e.to() + " " + e.outcome()).toList();
        assertThat(story).containsExactly(
                "apply BATCH->SHADOW STARTED", "apply BATCH->SHADOW COMPLETED",
                "apply SHADOW->INCREMENTAL BLOCKED",
                "apply SHADOW->INCREMENTAL STARTED", "apply SHADOW->INCREMENTAL FAILED",
                "apply SHADOW->INCREMENTAL RESUMED", "apply SHADOW->INCREMENTAL COMPLETED",
                "apply INCREMENTAL->STREAMING STARTED", "apply INCREMENTAL->STREAMING COMPLETED",
                "rollback STREAMING->INCREMENTAL STARTED", "rollback STREAMING->INCREMENTAL COMPLETED",
                "rollback INCREMENTAL->SHADOW STARTED", "rollback INCREMENTAL->SHADOW COMPLETED");
        assertThat(engine().history("retail.orders").get(2).evidence()).anyMatch(e -> e.contains("order_id=7"));
        assertThat(engine().store().reconciliations("retail.orders")).hasSize(3);
    }

    @Test
    void forcingNeedsAReasonAndIsRecorded() throws Exception {
        batchRun("0/100", "b1");
        MigrationEngine engine = engine();
        engine.apply("retail.orders", false, null);
        reports.push(report(3, List.of("missing order_id=1")));
        assertThatThrownBy(() -> engine.apply("retail.orders", true, " ")).hasMessageContaining("--reason");
        assertThat(engine.apply("retail.orders", true, "known difference in legacy rounding").stage())
                .isEqualTo(Stage.INCREMENTAL);
        AuditEntry completed = engine.history("retail.orders").get(engine.history("retail.orders").size() - 1);
        assertThat(completed.forced()).isTrue();
        assertThat(completed.reason()).isEqualTo("known difference in legacy rounding");
        assertThat(completed.evidence()).anyMatch(e -> e.startsWith("FAIL") && e.contains("missing order_id=1"));
    }

    @Test
    void aRollbackUndoesAnInterruptedTransition() throws Exception {
        long batch = batchRun("0/100", "b1");
        MigrationEngine engine = engine();
        engine.apply("retail.orders", false, null);
        appendTo("retail.orders__shadow", "s1");
        reports.push(report(0, List.of()));
        engine.reconcile("retail.orders");
        reports.push(report(0, List.of()));
        batchRun("0/200", "b2");
        jobs.failNextSchedule = true;
        assertThatThrownBy(() -> engine.apply("retail.orders", false, null)).isInstanceOf(MigrationStepException.class);
        assertThat(airflow.paused(DAG)).isTrue();

        assertThat(engine().rollback("retail.orders", null).stage()).isEqualTo(Stage.SHADOW);
        assertThat(airflow.paused(DAG)).isFalse();
        assertThat(files(table("retail.orders"))).containsExactly("b2");
        assertThat(files(table("retail.orders__shadow"))).containsExactly("s1");
        assertThat(batch).isPositive();
        assertThat(engine.history("retail.orders")).extracting(AuditEntry::outcome).contains("UNDONE");
    }

    // ---- helpers ----

    private static ReconciliationReport report(long differing, List<String> samples) {
        return new ReconciliationReport("retail.orders", Instant.now(), 0, 0, 10, 10, 0, 0, differing, samples, 1);
    }

    private Table table(String name) {
        return catalog.loadTable(TableIdentifier.parse(name));
    }

    /** A batch run: replaces the table's content and records the source position it read at. */
    private long batchRun(String position, String fileName) {
        Table t = table("retail.orders");
        OverwriteFiles overwrite = t.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue()).addFile(file(fileName));
        overwrite.set(Playbook.DEFAULT_POSITION_PROPERTY, position).commit();
        t.refresh();
        return t.currentSnapshot().snapshotId();
    }

    private void appendTo(String table, String fileName) {
        table(table).newAppend().appendFile(file(fileName)).set("lakeshift.job", "apply-retail").commit();
    }

    private DataFile file(String name) {
        return DataFiles.builder(PartitionSpec.unpartitioned()).withPath(dir.resolve("files").resolve(name).toString())
                .withFormat(FileFormat.PARQUET).withFileSizeInBytes(100).withRecordCount(1).build();
    }

    private static List<String> files(Table t) throws Exception {
        t.refresh();
        List<String> names = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
            tasks.forEach(task -> names.add(Path.of(task.file().location()).getFileName().toString()));
        }
        return names;
    }

    /** The engine's TableCopier, at the level of Iceberg metadata: one overwrite commit. */
    private long copy(String from, String to, Map<String, String> summary) {
        Table source = table(from);
        Table target = table(to);
        OverwriteFiles overwrite = target.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue());
        try (CloseableIterable<FileScanTask> tasks = source.newScan().planFiles()) {
            tasks.forEach(task -> overwrite.addFile(task.file()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        summary.forEach(overwrite::set);
        overwrite.commit();
        target.refresh();
        return target.currentSnapshot().snapshotId();
    }

    /** Streaming jobs as calls on the record. */
    static final class RecordingJobs implements StreamingJobs {
        final List<String> calls = new ArrayList<>();
        boolean failNextSchedule;
        JobView view = JobView.NONE;

        @Override
        public void runContinuous(PipelineConfig pipeline, String table) {
            calls.add("continuous " + pipeline.name() + " -> " + table);
            view = new JobView(Mode.CONTINUOUS, table, "");
        }

        @Override
        public void schedule(PipelineConfig pipeline, String table, String cadence) {
            if (failNextSchedule) {
                failNextSchedule = false;
                throw new IllegalStateException("launcher unavailable");
            }
            calls.add("scheduled " + pipeline.name() + " -> " + table + " every " + cadence);
            view = new JobView(Mode.SCHEDULED, table, cadence);
        }

        @Override
        public void stop(PipelineConfig pipeline) {
            calls.add("stop " + pipeline.name());
            view = JobView.NONE;
        }

        @Override
        public JobView view(PipelineConfig pipeline) {
            return view;
        }

        @Override
        public void awaitCaughtUp(PipelineConfig pipeline, Duration timeout) {
        }
    }
}
