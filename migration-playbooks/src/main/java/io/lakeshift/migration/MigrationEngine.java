package io.lakeshift.migration;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.jdbc.Lsn;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.lakehouse.CompanionTables;
import io.lakeshift.orchestration.airflow.AirflowClient;
import io.lakeshift.orchestration.airflow.DagRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves pipelines between stages (BATCH, SHADOW, INCREMENTAL, STREAMING) one step at a time, on
 * evidence, reversibly, and on the record.
 *
 * <p>A transition is an ordered list of idempotent {@link Step}s. Before the first step runs, the
 * transition is written into the pipeline's durable state; after each step, the step is marked done.
 * A transition interrupted by a crash or a failing step stays pending: the next {@code apply}
 * finishes it (skipping steps done, re-running the interrupted one, which is safe), and the next
 * {@code rollback} undoes it (runs the reverse transition's steps, which are safe on a half-done
 * state). Every attempt, start, failure and completion is appended to the audit log.
 */
public final class MigrationEngine {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationEngine.class);
    /** How long a promotion waits for batch runs in flight to end after pausing their DAG. */
    static final Duration BATCH_RUN_WAIT = Duration.ofMinutes(30);
    static final Duration CATCH_UP = Duration.ofMinutes(10);
    static final int SAMPLE_SIZE = 5;

    private final LakeshiftConfig config;
    private final Playbooks playbooks;
    private final LakeState lake;
    private final Supplier<AirflowClient> airflow;
    private final StreamingJobs jobs;
    private final Ingestion ingestion;
    private final TableCopier copier;
    private final Reconciler reconciler;
    private final MigrationStore store;
    private final Clock clock;
    private final String user = System.getProperty("user.name", "?");
    private Duration batchRunPoll = Duration.ofSeconds(5);

    /**
     * @param config the Lakeshift configuration (pipelines, catalog name, data folder)
     * @param playbooks the playbooks
     * @param catalog the Iceberg catalog the pipelines' tables live in
     * @param airflow the Airflow client, asked for only when a step needs Airflow
     * @param jobs runs the streaming jobs
     * @param ingestion makes sure sources are captured
     * @param copier copies a table's content into another in one commit
     * @param reconciler compares batch and streaming output
     * @param clock the clock of the audit log and the gates
     */
    public MigrationEngine(LakeshiftConfig config, Playbooks playbooks, org.apache.iceberg.catalog.Catalog catalog,
            Supplier<AirflowClient> airflow, StreamingJobs jobs, Ingestion ingestion, TableCopier copier,
            Reconciler reconciler, Clock clock) {
        this.config = config;
        // a configured pipeline without a playbook file migrates by the default one (its dag and schedule from config)
        this.playbooks = playbooks.withDefaults(config.pipelines());
        this.lake = new LakeState(catalog);
        this.airflow = airflow;
        this.jobs = jobs;
        this.ingestion = ingestion;
        this.copier = copier;
        this.reconciler = reconciler;
        this.store = new MigrationStore(config.dataDir());
        this.clock = clock;
    }

    /** For tests: how often to look at batch runs in flight. */
    MigrationEngine pollBatchRunsEvery(Duration interval) {
        this.batchRunPoll = interval;
        return this;
    }

    public MigrationStore store() {
        return store;
    }

    /** The pipeline's state; a pipeline never migrated is in the stage its configuration declares. */
    public MigrationState state(String pipeline) {
        PipelineConfig p = pipeline(pipeline);
        return store.state(pipeline).orElseGet(() -> {
            Stage declared = Stage.parse(p.stage());
            if (declared == null) {
                throw new ConfigException("pipelines[" + pipeline + "].stage", "must be BATCH, SHADOW, INCREMENTAL or STREAMING, got '"
                        + p.stage() + "'");
            }
            return MigrationState.initial(pipeline, declared, clock.instant());
        });
    }

    /** What {@link #apply} would do now. */
    public Plan plan(String pipeline) {
        PipelineConfig p = pipeline(pipeline);
        Playbook book = playbooks.of(pipeline);
        MigrationState state = state(pipeline);
        Stage to = state.stage().next();
        if (to == null) {
            return new Plan(pipeline, state.stage(), null, List.of(), List.of(), state.pending());
        }
        List<String> steps = steps(p, book, state, "plan", state.stage(), to).stream().map(Step::toString).toList();
        List<GateResult> gates = GateEvaluator.evaluate(book.gatesInto(to), state, store.reconciliations(pipeline),
                jobStatus(pipeline), clock.instant());
        return new Plan(pipeline, state.stage(), to, steps, gates, state.pending());
    }

    /**
     * Finishes a pending transition if there is one; otherwise advances the pipeline one stage when
     * every gate passes (running a reconciliation first when the newest batch run has none), or
     * when {@code force} is set, with {@code reason} on the record.
     *
     * @return the state afterwards
     * @throws GatesBlockedException when a gate fails and force is not set (recorded as BLOCKED)
     */
    public MigrationState apply(String pipeline, boolean force, String reason) throws Exception {
        if (force && (reason == null || reason.isBlank())) {
            throw new ConfigException("--reason", "is required with --force: say why the gates are overridden");
        }
        try (AutoCloseable lock = store.lock()) {
            MigrationState state = state(pipeline);
            if (state.pending() != null) {
                return resume(pipeline, state, state.pending().action());
            }
            Stage to = state.stage().next();
            if (to == null) {
                throw new IllegalStateException("pipeline " + pipeline + " is in STREAMING, the last stage");
            }
            Playbook book = playbooks.of(pipeline);
            if (book.gatesInto(to).needsReconciliation() && state.stage() != Stage.BATCH) {
                reconcileNewestBatchRun(pipeline, state);
            }
            Plan plan = plan(pipeline);
            List<String> evidence = plan.gates().stream().map(GateResult::toString).toList();
            if (!plan.gatesPass() && !force) {
                store.append(new AuditEntry(clock.instant(), pipeline, null, "apply", state.stage(), to, false, reason, evidence,
                        AuditEntry.BLOCKED, List.of(), null, user));
                throw new GatesBlockedException(plan);
            }
            MigrationState.Pending pending = new MigrationState.Pending(newId(), "apply", state.stage(), to,
                    force && !plan.gatesPass(), reason, evidence, clock.instant(), List.of());
            return run(pipeline, state.withPending(pending), AuditEntry.STARTED);
        }
    }

    /**
     * Moves the pipeline back one stage; a pending forward transition is undone instead (back to
     * the stage it left), a pending rollback is finished.
     */
    public MigrationState rollback(String pipeline, String reason) throws Exception {
        try (AutoCloseable lock = store.lock()) {
            MigrationState state = state(pipeline);
            MigrationState.Pending p = state.pending();
            if (p != null) {
                if (!"apply".equals(p.action())) {
                    return resume(pipeline, state, p.action());
                }
                MigrationState.Pending undo = new MigrationState.Pending(newId(), "undo", p.to(), p.from(), false,
                        reason != null ? reason : "undo interrupted transition " + p.id(), List.of("undoes " + p.id()),
                        clock.instant(), List.of());
                // the undo runs from the half-done state: its steps are safe whatever of p was done
                MigrationState undoing = new MigrationState(pipeline, p.to(), state.since(), state.lastBatchSnapshotId(), undo);
                store.append(new AuditEntry(clock.instant(), pipeline, p.id(), p.action(), p.from(), p.to(), p.forced(),
                        p.reason(), p.evidence(), "UNDONE", p.doneSteps(), null, user));
                return run(pipeline, undoing, AuditEntry.STARTED);
            }
            Stage to = state.stage().previous();
            if (to == null) {
                throw new IllegalStateException("pipeline " + pipeline + " is in BATCH, the first stage: nothing to roll back");
            }
            MigrationState.Pending pending = new MigrationState.Pending(newId(), "rollback", state.stage(), to, false, reason,
                    List.of(), clock.instant(), List.of());
            return run(pipeline, state.withPending(pending), AuditEntry.STARTED);
        }
    }

    /** Reconciles the newest batch run of the pipeline's table with the streaming output at its position, and stores the report. */
    public ReconciliationReport reconcile(String pipeline) throws Exception {
        return reconcile(pipeline, state(pipeline));
    }

    /** Every pipeline with a playbook: stage, gates, last reconciliation, job, freshness. */
    public List<PipelineStatus> status() {
        List<PipelineStatus> all = new ArrayList<>();
        for (Playbook book : playbooks.all()) {
            if (config.pipeline(book.pipeline()).isEmpty()) {
                continue;
            }
            MigrationState state = state(book.pipeline());
            List<ReconciliationReport> reports = store.reconciliations(book.pipeline());
            Plan plan = plan(book.pipeline());
            all.add(new PipelineStatus(state, plan, reports.isEmpty() ? null : reports.get(reports.size() - 1),
                    jobs.view(pipeline(book.pipeline())), jobStatus(book.pipeline()).orElse(null)));
        }
        return all;
    }

    /**
     * A pipeline's status line.
     *
     * @param state its durable state
     * @param next the next transition's plan
     * @param lastReconciliation the newest reconciliation report, or null
     * @param job what runs
     * @param jobStatus what the streaming job last reported, or null
     */
    public record PipelineStatus(MigrationState state, Plan next, ReconciliationReport lastReconciliation,
            StreamingJobs.JobView job, ComponentStatus jobStatus) {
    }

    /** The audit log of a pipeline, oldest first. */
    public List<AuditEntry> history(String pipeline) {
        pipeline(pipeline);
        return store.audit(pipeline);
    }

    // ---- transitions ----

    private MigrationState resume(String pipeline, MigrationState state, String action) throws Exception {
        MigrationState.Pending p = state.pending();
        LOG.info("Pipeline {}: resuming {} {} -> {} after step {}", pipeline, action, p.from(), p.to(), p.doneSteps());
        return run(pipeline, state, AuditEntry.RESUMED);
    }

    private MigrationState run(String pipeline, MigrationState state, String firstOutcome) throws Exception {
        MigrationState.Pending p = state.pending();
        store.save(state);
        store.append(entry(pipeline, p, firstOutcome, null));
        PipelineConfig pc = pipeline(pipeline);
        Playbook book = playbooks.of(pipeline);
        MigrationState current = state;
        for (Step step : steps(pc, book, state, p.id(), p.from(), p.to())) {
            if (current.pending().doneSteps().contains(step.name())) {
                continue;
            }
            try {
                LOG.info("Pipeline {}: {} -> {}: {}", pipeline, p.from(), p.to(), step);
                step.action().run();
            } catch (Exception e) {
                store.append(entry(pipeline, current.pending(), AuditEntry.FAILED, step.name() + ": " + e.getMessage()));
                throw new MigrationStepException(pipeline, p, step.name(), e);
            }
            // lastBatchSnapshotId may have been recorded by the step
            MigrationState saved = store.state(pipeline).orElse(current);
            current = new MigrationState(pipeline, current.stage(), current.since(), saved.lastBatchSnapshotId(),
                    current.pending().withDone(step.name()));
            store.save(current);
        }
        Long lastBatch = p.to() == Stage.SHADOW || p.to() == Stage.BATCH ? null : current.lastBatchSnapshotId();
        MigrationState done = new MigrationState(pipeline, p.to(), clock.instant(), lastBatch, null);
        store.save(done);
        store.append(entry(pipeline, current.pending(), AuditEntry.COMPLETED, null));
        return done;
    }

    private AuditEntry entry(String pipeline, MigrationState.Pending p, String outcome, String error) {
        return new AuditEntry(clock.instant(), pipeline, p.id(), p.action(), p.from(), p.to(), p.forced(), p.reason(),
                p.evidence(), outcome, p.doneSteps(), error, user);
    }

    /** The steps from one stage to the next or the previous one. */
    private List<Step> steps(PipelineConfig p, Playbook book, MigrationState state, String transitionId, Stage from, Stage to) {
        String main = p.target();
        String shadow = book.shadowTableOf(main);
        List<Step> steps = new ArrayList<>();
        switch (from.name() + "->" + to.name()) {
            case "BATCH->SHADOW" -> {
                steps.add(new Step("create-shadow-table", "create " + shadow + " with the schema, partitioning and sort order of "
                        + main, () -> lake.ensureShadow(main, shadow)));
                steps.add(new Step("start-ingestion", "make sure source '" + p.source() + "' is captured into Kafka",
                        () -> ingestion.ensureCapturing(source(p))));
                steps.add(new Step("start-streaming-to-shadow", "run the streaming job (continuous) into " + shadow,
                        () -> jobs.runContinuous(p, shadow)));
            }
            case "SHADOW->INCREMENTAL" -> {
                steps.add(new Step("pause-batch-dag", "pause Airflow DAG " + book.dag(), () -> airflow().pause(book.dag())));
                steps.add(new Step("await-batch-runs", "wait for runs of " + book.dag() + " in flight to end",
                        () -> awaitBatchRuns(book.dag())));
                steps.add(new Step("record-last-batch-snapshot", "remember " + main + "'s last batch-written snapshot",
                        () -> recordLastBatchSnapshot(p.name(), main)));
                steps.add(new Step("stop-streaming", "stop the streaming job into " + shadow, () -> jobs.stop(p)));
                steps.add(new Step("promote-shadow", "replace " + main + "'s content with " + shadow + "'s in one commit",
                        () -> copyOnce(shadow, main, transitionId + ":promote")));
                steps.add(new Step("schedule-incremental", "run the streaming job (available-now) into " + main + " on "
                        + book.schedule(), () -> jobs.schedule(p, main, book.schedule())));
            }
            case "INCREMENTAL->STREAMING" -> steps.add(new Step("switch-to-continuous",
                    "run the streaming job into " + main + " with the continuous trigger instead of on " + book.schedule(),
                    () -> jobs.runContinuous(p, main)));
            case "STREAMING->INCREMENTAL" -> steps.add(new Step("schedule-incremental",
                    "run the streaming job (available-now) into " + main + " on " + book.schedule(),
                    () -> jobs.schedule(p, main, book.schedule())));
            case "INCREMENTAL->SHADOW" -> {
                steps.add(new Step("stop-streaming", "stop the streaming job into " + main, () -> jobs.stop(p)));
                steps.add(new Step("copy-main-to-shadow", "carry " + main + "'s streamed content over to " + shadow,
                        () -> copyBackIfPromoted(p.name(), main, shadow, transitionId + ":copy-back")));
                steps.add(new Step("restore-last-batch-snapshot", "restore " + main + " to its last batch-written snapshot",
                        () -> restoreLastBatch(p.name(), main)));
                steps.add(new Step("start-streaming-to-shadow", "run the streaming job (continuous) into " + shadow,
                        () -> jobs.runContinuous(p, shadow)));
                steps.add(new Step("unpause-batch-dag", "unpause Airflow DAG " + book.dag(), () -> airflow().unpause(book.dag())));
            }
            case "SHADOW->BATCH" -> {
                steps.add(new Step("stop-streaming", "stop the streaming job into " + shadow + " (the table stays, for audit)",
                        () -> jobs.stop(p)));
                steps.add(new Step("unpause-batch-dag", "unpause Airflow DAG " + book.dag(), () -> airflow().unpause(book.dag())));
            }
            default -> throw new IllegalArgumentException("no transition from " + from + " to " + to);
        }
        return steps;
    }

    private void awaitBatchRuns(String dag) throws InterruptedException {
        Instant deadline = clock.instant().plus(BATCH_RUN_WAIT);
        while (true) {
            List<DagRun> active = airflow().listDagRuns(dag, 20).stream().filter(r -> !r.state().terminal()).toList();
            if (active.isEmpty()) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException("runs of DAG " + dag + " still in flight after " + BATCH_RUN_WAIT + ": "
                        + active.stream().map(DagRun::runId).toList());
            }
            Thread.sleep(batchRunPoll.toMillis());
        }
    }

    private void recordLastBatchSnapshot(String pipeline, String main) {
        Table table = lake.load(main);
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            throw new IllegalStateException(main + " has no snapshot: the batch job has never written it");
        }
        MigrationState s = store.state(pipeline).orElseThrow();
        store.save(s.withLastBatchSnapshot(current.snapshotId()));
    }

    private void copyOnce(String from, String to, String commitId) {
        if (lake.committedBy(lake.load(to), commitId)) {
            return;
        }
        copier.replaceContents(from, to, Map.of(LakeState.TRANSITION, commitId));
    }

    private void copyBackIfPromoted(String pipeline, String main, String shadow, String commitId) {
        Long lastBatch = store.state(pipeline).map(MigrationState::lastBatchSnapshotId).orElse(null);
        Table table = lake.load(main);
        table.refresh();
        if (lastBatch == null || table.currentSnapshot() == null || table.currentSnapshot().snapshotId() == lastBatch) {
            return; // never promoted, or restored already: the shadow holds the streaming state
        }
        copyOnce(main, shadow, commitId);
    }

    private void restoreLastBatch(String pipeline, String main) {
        Long lastBatch = store.state(pipeline).map(MigrationState::lastBatchSnapshotId).orElse(null);
        if (lastBatch != null) {
            lake.restore(lake.load(main), lastBatch);
        }
    }

    // ---- reconciliation ----

    private ReconciliationReport reconcile(String pipeline, MigrationState state) throws Exception {
        PipelineConfig p = pipeline(pipeline);
        Playbook book = playbooks.of(pipeline);
        if (state.stage() == Stage.BATCH && (state.pending() == null)) {
            throw new IllegalStateException("pipeline " + pipeline + " is in BATCH: there is no streaming output to reconcile"
                    + " yet (lakeshift migrate apply " + pipeline + " starts it in SHADOW)");
        }
        String main = p.target();
        String shadow = book.shadowTableOf(main);
        Table table = lake.load(main);
        Snapshot batch = lake.lastBatchSnapshot(table, book.positionProperty()).orElseThrow(() -> new IllegalStateException(
                "no batch run of " + main + " has recorded its source position (snapshot summary property '"
                        + book.positionProperty() + "'): run the batch DAG " + book.dag() + " first"));
        long position = Lsn.parse(batch.summary().get(book.positionProperty()));
        String streaming = state.stage() == Stage.SHADOW ? shadow : main;
        List<String> changelogs = new ArrayList<>();
        for (String t : List.of(shadow, main)) {
            if (lake.exists(t + CompanionTables.CHANGELOG_SUFFIX)) {
                changelogs.add(qualified(t + CompanionTables.CHANGELOG_SUFFIX));
            }
        }
        jobs.awaitCaughtUp(p, CATCH_UP);
        List<String> key = p.key().isEmpty() ? List.copyOf(table.schema().identifierFieldNames()) : p.key();
        ReconciliationReport report = reconciler.reconcile(new ReconcileRequest(pipeline, key, qualified(main),
                batch.snapshotId(), position, qualified(streaming), changelogs, SAMPLE_SIZE));
        store.append(report);
        LOG.info("Pipeline {}: reconciliation {}", pipeline, report.summary());
        return report;
    }

    private void reconcileNewestBatchRun(String pipeline, MigrationState state) throws Exception {
        PipelineConfig p = pipeline(pipeline);
        Playbook book = playbooks.of(pipeline);
        Optional<Snapshot> batch = lake.lastBatchSnapshot(lake.load(p.target()), book.positionProperty());
        List<ReconciliationReport> reports = store.reconciliations(pipeline);
        boolean reconciled = batch.isPresent() && reports.stream()
                .anyMatch(r -> r.batchSnapshotId() == batch.get().snapshotId() && !r.at().isBefore(state.since()));
        if (batch.isPresent() && !reconciled && state.stage() == Stage.SHADOW) {
            reconcile(pipeline, state);
        }
    }

    // ---- helpers ----

    private Optional<ComponentStatus> jobStatus(String pipeline) {
        return new StatusFiles(config.dataDir(), "pipelines").readAll().stream()
                .filter(s -> s.name().equals(pipeline)).findFirst();
    }

    private AirflowClient airflow() {
        return airflow.get();
    }

    private String qualified(String table) {
        return config.catalog().name() + "." + table;
    }

    private SourceConfig source(PipelineConfig p) {
        return config.source(p.source()).orElseThrow(() -> new ConfigException("pipelines[" + p.name() + "].source",
                "'" + p.source() + "' is not a declared source"));
    }

    private PipelineConfig pipeline(String name) {
        return config.pipeline(name).orElseThrow(() -> new ConfigException("pipeline", "'" + name
                + "' is not a configured pipeline; pipelines are "
                + String.join(", ", config.pipelines().stream().map(PipelineConfig::name).toList())));
    }

    private static String newId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
