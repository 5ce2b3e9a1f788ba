package io.lakeshift.streaming;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.lakehouse.CommitConflicts;
import io.lakeshift.lakehouse.LakeshiftColumns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.spark.SparkWriteOptions;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one micro-batch of change events to every pipeline of the job.
 *
 * <p>Per pipeline: follow schema changes; validate and type each event; dead-letter the ones that
 * cannot be applied (records in = rows applied + dead letters); append every valid event to the
 * changelog; keep the newest change per key and apply it to the current-state table: when the
 * batch is newer than anything the table holds, by an equality upsert that never reads the table,
 * else by a MERGE that drops a change if its key was deleted at a later source position or its row
 * holds a newer change ({@link ApplyPath}); record the deletes. Every commit carries the job and batch id in its snapshot summary and is skipped
 * when Spark replays a batch that already reached that table, so a crash at any point and a
 * restart leave the tables as if nothing had happened.
 */
final class ChangeBatchApplier implements VoidFunction2<Dataset<Row>, Long> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeBatchApplier.class);

    private final String job;
    /** By topic; replaced when a pipeline's schema evolves, from the thread applying it. */
    private final Map<String, ApplyTarget> targets = Collections.synchronizedMap(new LinkedHashMap<>());
    private final BiFunction<SparkSession, ApplyTarget, ApplyTarget> refresh;
    private final Map<String, PipelineMetrics> metrics;
    private final FreshnessRecorder freshness;
    private final DeadLetterSink deadLetters;
    private final Runnable afterBatch;
    private final Map<String, Long> appliedOffsets = new ConcurrentHashMap<>();
    /** By pipeline: whether its last batch was an equality upsert, so a change of path is logged once. */
    private final Map<String, Boolean> upserting = new ConcurrentHashMap<>();

    /**
     * @param refresh re-reads a target's columns from its table, in the given session, after a schema change
     * @param afterBatch called after every batch, for status reporting
     */
    ChangeBatchApplier(String job, List<ApplyTarget> targets, BiFunction<SparkSession, ApplyTarget, ApplyTarget> refresh,
            Map<String, PipelineMetrics> metrics, FreshnessRecorder freshness, DeadLetterSink deadLetters, Runnable afterBatch) {
        this.job = job;
        targets.forEach(t -> this.targets.put(t.topic(), t));
        this.refresh = refresh;
        this.metrics = metrics;
        this.freshness = freshness;
        this.deadLetters = deadLetters;
        this.afterBatch = afterBatch;
    }

    /** Highest Kafka offset applied per {@code topic-partition}. */
    Map<String, Long> appliedOffsets() {
        return appliedOffsets;
    }

    private long totalApplied() {
        return metrics.values().stream().mapToLong(PipelineMetrics::rowsApplied).sum();
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        long started = System.currentTimeMillis();
        SparkSession spark = batch.sparkSession();
        // Not cached: each pipeline reads the batch once, filtered to its topic before parsing,
        // and caches only its typed rows, which every later step reuses.
        Dataset<Row> records = batch.select(col("topic"), col("partition"), col("offset"), col("key"), col("value"));
        Map<String, Long> offsets = new ConcurrentHashMap<>();
        long before = totalApplied();
        applyAll(spark, records, batchId, offsets);
        if (offsets.isEmpty()) {
            afterBatch.run();
            return;
        }
        CrashPoints.reach(CrashPoints.BEFORE_CHECKPOINT, batchId);
        appliedOffsets.putAll(offsets);
        LOG.info("Job {} batch {}: {} change(s) applied in {} ms", job, batchId, totalApplied() - before,
                System.currentTimeMillis() - started);
        afterBatch.run();
    }

    /**
     * Applies the batch to every pipeline. A small batch's time goes mostly to Spark's planning and
     * scheduling and to Iceberg's commits, not to the cores, so the pipelines run side by side, each
     * on its own thread. Pipelines with a transform share the session's view {@value
     * ChangeTransform#VIEW}: they run one after the other on this thread.
     */
    private void applyAll(SparkSession spark, Dataset<Row> records, long batchId, Map<String, Long> offsets) {
        List<ApplyTarget> all;
        synchronized (targets) {
            all = List.copyOf(targets.values());
        }
        List<SideTask> alongside = new ArrayList<>();
        List<ApplyTarget> here = new ArrayList<>();
        for (ApplyTarget target : all) {
            if (all.size() > 1 && target.transform() == null) {
                alongside.add(SideTask.start("lakeshift-apply-" + target.pipeline(),
                        () -> applyTo(spark, target, records.filter(col("topic").equalTo(target.topic())), batchId, offsets)));
            } else {
                here.add(target);
            }
        }
        SideTask.joinAll(() -> {
            for (ApplyTarget target : here) {
                applyTo(spark, target, records.filter(col("topic").equalTo(target.topic())), batchId, offsets);
            }
        }, alongside);
    }

    /** One pass over a pipeline's typed rows: counts, source commit times, Kafka offsets, column declarations. */
    private record Profile(long valid, long invalid, boolean anyDelete, Map<Long, Long> streamedByTs,
            Map<String, Long> offsets, List<String> columnDeclarations, ChangeRows.Packing packing, ChangePosition first,
            ChangePosition last) {

        static Profile of(Dataset<Row> rows, String topic) {
            List<Row> groups = rows.groupBy(col(ChangeRows.REASON).isNull().as("ok"), col(ChangeRows.SNAPSHOT),
                            col(ChangeRows.SOURCE_TS_MS), col(ChangeRows.OP).equalTo("d").as("delete"),
                            col(ChangeRows.COLUMNS), col(LakeTables.KAFKA_PARTITION))
                    .agg(count("*"), max(LakeTables.KAFKA_OFFSET), min(LakeshiftColumns.SEQ_HI), max(LakeshiftColumns.SEQ_HI),
                            min(LakeshiftColumns.SEQ_LO), max(LakeshiftColumns.SEQ_LO),
                            count(LakeshiftColumns.SEQ_HI), count(LakeshiftColumns.SEQ_LO))
                    .collectAsList();
            ChangeRows.Packing.Builder packing = new ChangeRows.Packing.Builder();
            long valid = 0;
            long invalid = 0;
            boolean anyDelete = false;
            Map<Long, Long> streamedByTs = new HashMap<>();
            Map<String, Long> offsets = new HashMap<>();
            Set<String> declarations = new LinkedHashSet<>();
            // Bounds of the valid changes' positions, each part on its own: (min hi, min lo) is at or
            // before the oldest change, (max hi, max lo) at or after the newest.
            long[] bounds = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
            boolean positioned = true;
            for (Row r : groups) {
                long n = r.getLong(6);
                offsets.merge(topic + "-" + r.getInt(5), r.getLong(7), Math::max);
                if (!r.isNullAt(4)) {
                    // from every parsable event: a value that only fits the evolved column is invalid until then
                    declarations.add(r.getString(4));
                }
                if (r.getBoolean(0)) {
                    valid += n;
                    if (r.getLong(12) == n && r.getLong(13) == n) {
                        packing.add(r.getInt(5), r.getLong(7), r.getLong(8), r.getLong(9), r.getLong(10), r.getLong(11));
                        bounds[0] = Math.min(bounds[0], r.getLong(8));
                        bounds[1] = Math.min(bounds[1], r.getLong(10));
                        bounds[2] = Math.max(bounds[2], r.getLong(9));
                        bounds[3] = Math.max(bounds[3], r.getLong(11));
                    } else {
                        packing.unpackable(); // a position with a null part orders as a struct does, not as a number
                        positioned = false;
                    }
                    anyDelete |= !r.isNullAt(3) && r.getBoolean(3);
                    if (!r.isNullAt(1) && !r.getBoolean(1) && !r.isNullAt(2)) {
                        streamedByTs.merge(r.getLong(2), n, Long::sum);
                    }
                } else {
                    invalid += n;
                }
            }
            boolean bounded = positioned && valid > 0;
            return new Profile(valid, invalid, anyDelete, streamedByTs, offsets, List.copyOf(declarations), packing.build(),
                    bounded ? new ChangePosition(bounds[0], bounds[1]) : null,
                    bounded ? new ChangePosition(bounds[2], bounds[3]) : null);
        }
    }

    private void applyTo(SparkSession spark, ApplyTarget target, Dataset<Row> events, long batchId, Map<String, Long> offsets) {
        long started = System.currentTimeMillis();
        Dataset<Row> rows = ChangeRows.typed(events, target).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Profile profile = Profile.of(rows, target.topic());
            if (profile.valid() + profile.invalid() == 0) {
                return;
            }
            ApplyTarget evolved = evolveSchema(spark, target, profile.columnDeclarations());
            if (evolved != target) {
                // New or wider columns: type the rows again against the evolved table.
                rows.unpersist();
                target = evolved;
                rows = ChangeRows.typed(events, target).persist(StorageLevel.MEMORY_AND_DISK());
                profile = Profile.of(rows, target.topic());
            }
            if (profile.invalid() > 0) {
                deadLetter(target, rows);
            }
            CrashPoints.reach(CrashPoints.BEFORE_COMMIT, batchId);
            long commitMs = started;
            if (profile.valid() > 0) {
                Dataset<Row> ok = rows.filter(col(ChangeRows.REASON).isNull());
                // Resolved and checked before anything of the batch is written.
                Dataset<Row> changes = ChangeTransform.apply(spark, target, ChangeTransform.changes(ok, target));
                Map<String, String> summary = summary(batchId, profile.offsets());
                long profiled = System.currentTimeMillis();
                // The changelog is appended beside the MERGE: the two commits go to different
                // tables and each is skipped when its table already holds the batch, so their order
                // does not matter, and the current state (what freshness waits for) does not queue
                // behind an append of every event.
                ApplyTarget applied = target;
                Profile measured = profile;
                SideTask changelog = SideTask.start("lakeshift-changelog-" + target.pipeline(), () -> {
                    if (notCommitted(spark, applied.changelogTable(), batchId)) {
                        appendChangelog(applied, ok, summary);
                    }
                    CrashPoints.reach(CrashPoints.AFTER_CHANGELOG, batchId);
                });
                long[] mergedAt = new long[2];
                SideTask.joinAll(() -> {
                    mergedAt[0] = mergeAndRecordDeletes(spark, applied, ok, changes, measured, batchId, summary);
                    mergedAt[1] = System.currentTimeMillis();
                }, List.of(changelog));
                commitMs = mergedAt[0];
                long deletesMs = mergedAt[1] - commitMs;
                long changelogMs = changelog.await();
                LOG.info("Pipeline {} batch {}: {} valid, {} invalid; read, typing and profile {} ms, merge {} ms,"
                        + " deletes {} ms, changelog {} ms (beside them)", target.pipeline(), batchId, profile.valid(),
                        profile.invalid(), profiled - started, commitMs - profiled, deletesMs, changelogMs);
                long committedAt = commitMs;
                profile.streamedByTs().forEach((ts, n) -> freshness.record(committedAt - ts, n));
            }
            offsets.putAll(profile.offsets());
            metrics.get(target.pipeline()).recordBatch(profile.valid() + profile.invalid(), profile.valid(), profile.invalid(),
                    System.currentTimeMillis() - started, commitMs);
        } finally {
            rows.unpersist();
        }
    }

    /**
     * Applies the newest change per key to the current-state table (by {@link ApplyPath}), then
     * records the batch's deletes; both skipped when their table already holds the batch.
     *
     * @return when the current state was committed (or found committed)
     */
    private long mergeAndRecordDeletes(SparkSession spark, ApplyTarget target, Dataset<Row> ok, Dataset<Row> changes,
            Profile profile, long batchId, Map<String, String> summary) {
        // The newest change per key: the MERGE's source and, without a transform, the delete
        // markers' too (kept for them when the batch has deletes).
        Dataset<Row> latest = target.transform() == null && profile.packing() != null
                ? ChangeTransform.changes(ChangeRows.latestPerKey(ok, target.key(), profile.packing(), profile.valid()), target)
                : ChangeRows.latestPerKey(changes, target.key());
        if (profile.anyDelete() && target.transform() == null) {
            latest = latest.persist(StorageLevel.MEMORY_AND_DISK());
        }
        try {
            // Each table loaded once per batch: every load reads its metadata file again.
            Table markers = LakeTables.load(spark, target.deletesTable());
            markers.refresh();
            Table table = LakeTables.load(spark, target.table());
            table.refresh();
            ApplyPath path = null;
            EqualityUpsert.Collected collected = null;
            if (notCommitted(table, batchId)) {
                path = ApplyPath.choose(table, markers, target, new HashSet<>(List.of(latest.columns())), profile.first());
                Map<String, String> withHighWater = path.summaryAfter(profile.last(), summary);
                boolean upserted = false;
                if (path.equalityUpsert() && profile.valid() > COLLECTED_UPSERT_MAX_CHANGES) {
                    upserted = EqualityUpsert.commit(spark, table, latest, target.key(), path.base(), withHighWater);
                } else if (path.equalityUpsert()) {
                    collected = EqualityUpsert.collect(table, ChangeTransform.changes(ok, target), target.key());
                    upserted = commitCollected(target, collected, path, withHighWater);
                }
                if (!upserted) {
                    merge(spark, target, latest, markers, withHighWater);
                }
                if (!Boolean.valueOf(path.equalityUpsert()).equals(upserting.put(target.pipeline(), path.equalityUpsert()))) {
                    LOG.info("Pipeline {}: batch {} applied by {} (logged again when the way changes)",
                            target.pipeline(), batchId, path.describe());
                } else {
                    LOG.debug("Pipeline {} batch {}: applied by {}", target.pipeline(), batchId, path.describe());
                }
            }
            long commitMs = System.currentTimeMillis();
            CrashPoints.reach(CrashPoints.AFTER_MERGE, batchId);
            if (profile.anyDelete() && notCommitted(markers, batchId)) {
                Map<String, String> markerSummary = HighWater.summaryAfter(HighWater.of(markers), profile.last(), summary);
                if (collected != null && markers.spec().isUnpartitioned()) {
                    appendDeleteMarkers(target, collected, markers, markerSummary);
                } else {
                    recordDeletes(target, target.transform() == null ? latest : ChangeRows.latestPerKey(ok, target.key()), markerSummary);
                }
            }
            return commitMs;
        } finally {
            latest.unpersist();
        }
    }

    /**
     * Up to how many changes a batch's equality upsert is reduced to the newest per key and written
     * on the driver: for a continuous batch, the Spark jobs of the newest-per-key aggregate and of
     * a distributed write cost more than the work itself.
     */
    static final long COLLECTED_UPSERT_MAX_CHANGES = 20_000;

    /** @return false when another writer added rows meanwhile: nothing was committed */
    private static boolean commitCollected(ApplyTarget target, EqualityUpsert.Collected collected, ApplyPath path,
            Map<String, String> summary) {
        try {
            return collected.commit(path.base(), summary);
        } catch (IOException e) {
            throw new UncheckedIOException("pipeline " + target.pipeline() + ": cannot write its upsert into "
                    + target.table() + ": " + e.getMessage(), e);
        }
    }

    private static void appendDeleteMarkers(ApplyTarget target, EqualityUpsert.Collected collected, Table markers,
            Map<String, String> summary) {
        try {
            collected.appendDeleteMarkers(markers, summary);
        } catch (IOException e) {
            throw new UncheckedIOException("pipeline " + target.pipeline() + ": cannot write its delete markers into "
                    + target.deletesTable() + ": " + e.getMessage(), e);
        }
    }

    /** Follows new and wider columns; returns the target to use from now on (the same one if nothing changed). */
    private ApplyTarget evolveSchema(SparkSession spark, ApplyTarget target, List<String> declarations) {
        List<Map.Entry<String, LogicalType>> incoming = new ArrayList<>();
        for (String columns : declarations) {
            for (Map.Entry<String, String> column : EnvelopeParser.declarations(columns)) {
                if (column.getKey() == null || column.getValue() == null) {
                    continue;
                }
                try {
                    incoming.add(Map.entry(column.getKey(), LogicalType.parse(column.getValue())));
                } catch (IllegalArgumentException e) {
                    // an unknown type name cannot drive the schema; the value is still typed by the table
                }
            }
        }
        if (incoming.isEmpty()) {
            return target;
        }
        Table table = LakeTables.load(spark, target.table());
        SchemaEvolution.Plan plan = SchemaEvolution.plan(target.pipeline(), target.table(), table.schema(), incoming);
        if (plan.isEmpty()) {
            return target;
        }
        SchemaEvolution.apply(LakeTables.load(spark, target.changelogTable()), plan, target.pipeline());
        SchemaEvolution.apply(table, plan, target.pipeline());
        spark.sql("REFRESH TABLE " + target.table());
        spark.sql("REFRESH TABLE " + target.changelogTable());
        ApplyTarget evolved = refresh.apply(spark, target);
        targets.put(target.topic(), evolved);
        return evolved;
    }

    private boolean notCommitted(SparkSession spark, String table, long batchId) {
        Table iceberg = LakeTables.load(spark, table);
        iceberg.refresh();
        return notCommitted(iceberg, batchId);
    }

    /** @param table refreshed */
    private boolean notCommitted(Table table, long batchId) {
        long last = CommittedBatches.lastCommitted(table, job);
        if (last >= batchId) {
            LOG.info("Job {} batch {} is already committed to {} (its snapshot summary says batch {}): skipped",
                    job, batchId, table, last);
            return false;
        }
        return true;
    }

    private Map<String, String> summary(long batchId, Map<String, Long> offsets) {
        return Map.of(
                CommittedBatches.JOB, job,
                CommittedBatches.BATCH_ID, Long.toString(batchId),
                CommittedBatches.KAFKA_OFFSETS, offsets.entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue()).sorted().collect(Collectors.joining(",")));
    }

    private void deadLetter(ApplyTarget target, Dataset<Row> rows) {
        List<DeadLetterSink.DeadLetter> letters = new ArrayList<>();
        for (Row r : rows.filter(col(ChangeRows.REASON).isNotNull())
                .select(col(ChangeRows.RAW_KEY), col(ChangeRows.RAW_VALUE), col(ChangeRows.REASON),
                        col(LakeTables.KAFKA_PARTITION), col(LakeTables.KAFKA_OFFSET)).collectAsList()) {
            String origin = target.topic() + "-" + r.getInt(3) + "@" + r.getLong(4);
            letters.add(new DeadLetterSink.DeadLetter(r.getString(0), r.getString(1), r.getString(2), origin));
        }
        if (letters.isEmpty()) {
            return;
        }
        deadLetters.send(target.topic(), letters);
        LOG.warn("Pipeline {}: {} record(s) sent to {}.dlq; first reason: {}", target.pipeline(), letters.size(),
                target.topic(), letters.get(0).reason());
    }

    private void appendChangelog(ApplyTarget target, Dataset<Row> ok, Map<String, String> summary) {
        List<Column> columns = new ArrayList<>();
        target.columns().forEach(c -> columns.add(col("`" + c.name() + "`")));
        for (String c : List.of(LakeshiftColumns.SEQ_HI, LakeshiftColumns.SEQ_LO, LakeshiftColumns.SOURCE_TS,
                LakeTables.OP, LakeTables.KAFKA_PARTITION, LakeTables.KAFKA_OFFSET)) {
            columns.add(col(c));
        }
        Dataset<Row> changelog = ok.select(columns.toArray(Column[]::new));
        CommitMetadata.withCommitProperties(summary, () -> {
            // Appended as the rows are partitioned already (a task writes each day it holds): no
            // shuffle and sort of every event by day before the write.
            changelog.writeTo(target.changelogTable())
                    .option(SparkWriteOptions.DISTRIBUTION_MODE, DistributionMode.NONE.modeName())
                    .option(SparkWriteOptions.FANOUT_ENABLED, "true")
                    .append();
            return null;
        }, RuntimeException.class);
    }

    /** @param latest the newest change per key */
    private void merge(SparkSession spark, ApplyTarget target, Dataset<Row> latest, Table markerTable, Map<String, String> summary) {
        String view = view("ls_changes_", target);
        latest.createOrReplaceTempView(view);
        // A key deleted at a later source position stays deleted, whatever older change arrives.
        // In the statement's SQL, not a DataFrame join: a copy-on-write MERGE cannot plan a source
        // that holds a table reference resolved by the DataFrame API.
        String hi = MergeStatement.q(LakeshiftColumns.SEQ_HI);
        String lo = MergeStatement.q(LakeshiftColumns.SEQ_LO);
        String deletedLater = target.key().stream().map(k -> "d." + MergeStatement.q(k) + " = l." + MergeStatement.q(k))
                .collect(Collectors.joining(" AND "))
                + " AND (d." + hi + " > l." + hi + " OR (d." + hi + " = l." + hi + " AND d." + lo + " >= l." + lo + "))";
        // Without delete markers (a table never deleted from) the join is left out: it would scan
        // and join an empty table in every batch.
        Snapshot markers = markerTable.currentSnapshot();
        boolean anyMarker = markers != null && !"0".equals(markers.summary().get(SnapshotSummary.TOTAL_RECORDS_PROP));
        String source = anyMarker
                ? "(SELECT l.* FROM " + view + " l LEFT ANTI JOIN " + target.deletesTable() + " d ON " + deletedLater + ")"
                : view;
        String sql = MergeStatement.build(target, source, ChangeTransform.columnsOf(latest, target));
        // A MERGE that lost a race with maintenance (compaction) committed nothing: plan and run it again.
        try {
            CommitConflicts.retry("MERGE into " + target.table(), 5, Duration.ofMillis(500),
                    () -> CommitMetadata.withCommitProperties(summary, () -> spark.sql(sql), RuntimeException.class));
        } catch (Exception e) {
            if (target.transform() != null) {
                throw new ChangeTransform.PipelineTransformException("pipeline " + target.pipeline()
                        + ": applying its transformed changes to " + target.table() + " failed (the transform may not fit"
                        + " this batch's data): " + e.getMessage() + ". The pipeline stopped; fix its transform and restart it.", e);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("MERGE into " + target.table() + " failed: " + e.getMessage(), e);
        } finally {
            spark.catalog().dropTempView(view);
            if (target.transform() != null) {
                spark.catalog().dropTempView(ChangeTransform.VIEW);
            }
        }
    }

    /**
     * Appends a delete marker (key and source position) for every key the batch deleted. Appended,
     * not merged: a key deleted more than once keeps a marker per delete, and a change is dropped
     * when any marker of its key is at or after it, so an append is right whatever the markers
     * already hold, and it does not read them.
     *
     * @param latest the newest change per key
     */
    private void recordDeletes(ApplyTarget target, Dataset<Row> latest, Map<String, String> summary) {
        List<Column> columns = new ArrayList<>();
        target.key().forEach(k -> columns.add(col(MergeStatement.q(k))));
        columns.add(col(LakeshiftColumns.SEQ_HI));
        columns.add(col(LakeshiftColumns.SEQ_LO));
        Dataset<Row> deleted = latest.filter(col(ChangeRows.OP).equalTo("d")).select(columns.toArray(Column[]::new));
        CommitMetadata.withCommitProperties(summary, () -> {
            deleted.writeTo(target.deletesTable()).option(SparkWriteOptions.DISTRIBUTION_MODE, DistributionMode.NONE.modeName()).append();
            return null;
        }, RuntimeException.class);
    }

    private static String view(String prefix, ApplyTarget target) {
        return prefix + target.pipeline().replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The MERGE that applies the newest change per key unless the table holds a newer one. */
    static final class MergeStatement {

        private MergeStatement() {
        }

        static String build(ApplyTarget target, String view) {
            return build(target, view, target.columns().stream().map(ApplyTarget.TargetColumn::name).toList());
        }

        /**
         * The MERGE setting only {@code present}, the table columns the changes carry.
         *
         * @param source a view name or a parenthesized query
         */
        static String build(ApplyTarget target, String source, List<String> present) {
            String on = target.key().stream().map(k -> "t." + q(k) + " = s." + q(k)).collect(Collectors.joining(" AND "));
            String newer = "(t." + q(LakeshiftColumns.SEQ_HI) + " IS NULL"
                    + " OR s." + q(LakeshiftColumns.SEQ_HI) + " > t." + q(LakeshiftColumns.SEQ_HI)
                    + " OR (s." + q(LakeshiftColumns.SEQ_HI) + " = t." + q(LakeshiftColumns.SEQ_HI)
                    + " AND s." + q(LakeshiftColumns.SEQ_LO) + " > t." + q(LakeshiftColumns.SEQ_LO) + "))";
            List<String> columns = new ArrayList<>(present);
            columns.add(LakeshiftColumns.SEQ_HI);
            columns.add(LakeshiftColumns.SEQ_LO);
            columns.add(LakeshiftColumns.SOURCE_TS);
            String set = columns.stream().map(c -> "t." + q(c) + " = s." + q(c)).collect(Collectors.joining(", "));
            String insertColumns = columns.stream().map(MergeStatement::q).collect(Collectors.joining(", "));
            String insertValues = columns.stream().map(c -> "s." + q(c)).collect(Collectors.joining(", "));
            String op = "s." + q(ChangeRows.OP);
            return "MERGE INTO " + target.table() + " t USING " + source + " s ON " + on
                    + " WHEN MATCHED AND " + op + " = 'd' AND " + newer + " THEN DELETE"
                    + " WHEN MATCHED AND " + op + " <> 'd' AND " + newer + " THEN UPDATE SET " + set
                    + " WHEN NOT MATCHED AND " + op + " <> 'd' THEN INSERT (" + insertColumns + ") VALUES (" + insertValues + ")";
        }

        static String q(String identifier) {
            return "`" + identifier.replace("`", "``") + "`";
        }
    }
}
