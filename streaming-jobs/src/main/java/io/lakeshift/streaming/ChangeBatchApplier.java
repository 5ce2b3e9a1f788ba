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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Applies one pipeline's micro-batches of change events.
 *
 * <p>Follow schema changes; validate and type each event; dead-letter the ones that cannot be
 * applied (records in = rows applied + dead letters); append every valid event to the changelog,
 * once per source position and key ({@link ChangelogIdentity}); keep the newest change per key
 * and apply it to the current-state table: when the batch is newer than anything the table holds,
 * by an equality upsert that never reads the table, else by a MERGE that drops a change if its key
 * was deleted at a later source position or its row holds a newer change ({@link ApplyPath});
 * record the deletes. Every commit records, per Kafka partition, the highest offset its table
 * holds ({@link CommittedOffsets}); each table gets only the records of the batch above them, so a
 * replay, a new checkpoint or a new query neither skips nor repeats a change.
 */
final class ChangeBatchApplier implements VoidFunction2<Dataset<Row>, Long> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeBatchApplier.class);

    private final String job;
    /** Replaced when the pipeline's schema evolves. */
    private volatile ApplyTarget target;
    private final BiFunction<SparkSession, ApplyTarget, ApplyTarget> refresh;
    private final PipelineMetrics metrics;
    private final FreshnessRecorder freshness;
    private final DeadLetterSink deadLetters;
    private final Runnable afterBatch;
    private final Map<String, Long> appliedOffsets = new ConcurrentHashMap<>();
    /** Whether the last batch was an equality upsert, so a change of path is logged once. */
    private volatile Boolean upserting;

    /**
     * @param refresh re-reads a target's columns from its table, in the given session, after a schema change
     * @param afterBatch called after every batch, for status reporting
     */
    ChangeBatchApplier(String job, ApplyTarget target, BiFunction<SparkSession, ApplyTarget, ApplyTarget> refresh,
            PipelineMetrics metrics, FreshnessRecorder freshness, DeadLetterSink deadLetters, Runnable afterBatch) {
        this.job = job;
        this.target = target;
        this.refresh = refresh;
        this.metrics = metrics;
        this.freshness = freshness;
        this.deadLetters = deadLetters;
        this.afterBatch = afterBatch;
    }

    ApplyTarget target() {
        return target;
    }

    /** Highest Kafka offset applied per {@code topic-partition}. */
    Map<String, Long> appliedOffsets() {
        return appliedOffsets;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        long started = System.currentTimeMillis();
        SparkSession spark = batch.sparkSession();
        // Not cached: the batch is read once, parsed, and only its typed rows are cached, which every later step reuses.
        Dataset<Row> records = batch.select(col("partition"), col("offset"), col("key"), col("value"));
        long before = metrics.rowsApplied();
        Map<String, Long> offsets = applyTo(spark, target, records, batchId);
        if (offsets.isEmpty()) {
            afterBatch.run();
            return;
        }
        CrashPoints.reach(CrashPoints.BEFORE_CHECKPOINT, batchId);
        appliedOffsets.putAll(offsets);
        LOG.info("Pipeline {} batch {}: {} change(s) applied in {} ms", target.pipeline(), batchId, metrics.rowsApplied() - before,
                System.currentTimeMillis() - started);
        afterBatch.run();
    }

    /**
     * One pass over a pipeline's typed rows: counts, source commit times, Kafka offset ranges, column
     * declarations, required columns found null.
     */
    private record Profile(long valid, long invalid, boolean anyDelete, Map<Long, Long> streamedByTs,
            BatchRanges ranges, List<String> columnDeclarations, Set<String> requiredNull, ChangeRows.Packing packing,
            ChangePosition first, ChangePosition last) {

        static Profile of(Dataset<Row> rows, String topic) {
            List<Row> groups = rows.groupBy(col(ChangeRows.REASON).isNull().as("ok"), col(ChangeRows.SNAPSHOT),
                            col(ChangeRows.SOURCE_TS_MS), col(ChangeRows.OP).equalTo("d").or(col(ChangeRows.PREVIOUS_ROW_KEY).isNotNull()).as("delete"),
                            col(ChangeRows.COLUMNS), col(LakeTables.KAFKA_PARTITION), col(ChangeRows.REQUIRED_NULL))
                    .agg(count("*"), max(LakeTables.KAFKA_OFFSET), min(LakeshiftColumns.SEQ_HI), max(LakeshiftColumns.SEQ_HI),
                            min(LakeshiftColumns.SEQ_LO), max(LakeshiftColumns.SEQ_LO),
                            count(LakeshiftColumns.SEQ_HI), count(LakeshiftColumns.SEQ_LO), min(LakeTables.KAFKA_OFFSET))
                    .collectAsList();
            ChangeRows.Packing.Builder packing = new ChangeRows.Packing.Builder();
            BatchRanges.Builder ranges = new BatchRanges.Builder(topic);
            long valid = 0;
            long invalid = 0;
            boolean anyDelete = false;
            Map<Long, Long> streamedByTs = new HashMap<>();
            Set<String> declarations = new LinkedHashSet<>();
            Set<String> requiredNull = new LinkedHashSet<>();
            // Bounds of the valid changes' positions, each part on its own: (min hi, min lo) is at or
            // before the oldest change, (max hi, max lo) at or after the newest.
            long[] bounds = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
            boolean positioned = true;
            for (Row r : groups) {
                long n = r.getLong(7);
                ranges.add(r.getInt(5), r.getLong(15), r.getLong(8));
                if (!r.isNullAt(4)) {
                    // from every parsable event: a value that only fits the evolved column is invalid until then
                    declarations.add(r.getString(4));
                }
                if (!r.isNullAt(6)) {
                    requiredNull.addAll(List.of(r.getString(6).split(",")));
                }
                if (r.getBoolean(0)) {
                    valid += n;
                    if (r.getLong(13) == n && r.getLong(14) == n) {
                        packing.add(r.getInt(5), r.getLong(8), r.getLong(9), r.getLong(10), r.getLong(11), r.getLong(12));
                        bounds[0] = Math.min(bounds[0], r.getLong(9));
                        bounds[1] = Math.min(bounds[1], r.getLong(11));
                        bounds[2] = Math.max(bounds[2], r.getLong(10));
                        bounds[3] = Math.max(bounds[3], r.getLong(12));
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
            return new Profile(valid, invalid, anyDelete, streamedByTs, ranges.build(), List.copyOf(declarations),
                    Set.copyOf(requiredNull), packing.build(),
                    bounded ? new ChangePosition(bounds[0], bounds[1]) : null,
                    bounded ? new ChangePosition(bounds[2], bounds[3]) : null);
        }
    }

    /** The three tables of a pipeline as a batch finds them, and the Kafka records each holds. */
    private record Tables(Table table, Table changelog, Table markers, CommittedOffsets inTable, CommittedOffsets inChangelog,
            CommittedOffsets inMarkers) {

        static Tables load(SparkSession spark, ApplyTarget target) {
            // Each table loaded once per batch: every load reads its metadata file again.
            Table table = LakeTables.load(spark, target.table());
            Table changelog = LakeTables.load(spark, target.changelogTable());
            Table markers = LakeTables.load(spark, target.deletesTable());
            table.refresh();
            changelog.refresh();
            markers.refresh();
            return new Tables(table, changelog, markers, CommittedOffsets.of(table), CommittedOffsets.of(changelog),
                    CommittedOffsets.of(markers));
        }
    }

    /** @return the batch's highest offset per {@code topic-partition}; empty for an empty batch */
    private Map<String, Long> applyTo(SparkSession spark, ApplyTarget target, Dataset<Row> events, long batchId) {
        long started = System.currentTimeMillis();
        Dataset<Row> rows = ChangeRows.typed(events, target).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Profile profile = Profile.of(rows, target.topic());
            if (profile.valid() + profile.invalid() == 0) {
                return Map.of();
            }
            ApplyTarget evolved = evolveSchema(spark, target, profile.columnDeclarations(), profile.requiredNull());
            if (evolved != target) {
                // New, wider or no longer required columns: type the rows again against the evolved table.
                rows.unpersist();
                target = evolved;
                rows = ChangeRows.typed(events, target).persist(StorageLevel.MEMORY_AND_DISK());
                profile = Profile.of(rows, target.topic());
            }
            Tables tables = Tables.load(spark, target);
            if (profile.invalid() > 0) {
                Dataset<Row> notSent = profile.ranges().notIn(rows, tables.inTable());
                if (notSent != null) {
                    deadLetter(target, notSent);
                }
            }
            CrashPoints.reach(CrashPoints.BEFORE_COMMIT, batchId);
            long commitMs = started;
            if (profile.valid() > 0) {
                Dataset<Row> ok = rows.filter(col(ChangeRows.REASON).isNull());
                BatchRanges ranges = profile.ranges();
                Dataset<Row> forTable = ranges.notIn(ok, tables.inTable());
                Dataset<Row> forChangelog = ranges.notIn(ok, tables.inChangelog());
                if (forTable == null || forChangelog == null) {
                    LOG.info("Pipeline {} batch {} ({}): the changelog holds it {}, the table {} (their snapshot summaries say {} and {})",
                            target.pipeline(), batchId, ranges, forChangelog == null ? "all" : "not all",
                            forTable == null ? "all" : "not all", tables.inChangelog(), tables.inTable());
                }
                // Resolved and checked before anything of the batch is written.
                Dataset<Row> changes = forTable == null ? null
                        : ChangeTransform.apply(spark, target, ChangeTransform.changes(forApply(target, forTable), target));
                long profiled = System.currentTimeMillis();
                // The changelog is appended beside the MERGE: the two commits go to different
                // tables and each records what its table holds, so their order does not matter, and
                // the current state (what freshness waits for) does not queue behind an append of every event.
                ApplyTarget applied = target;
                Profile measured = profile;
                SideTask changelog = SideTask.start("lakeshift-changelog-" + target.pipeline(), () -> {
                    if (forChangelog != null) {
                        appendChangelog(spark, applied, tables, forChangelog, measured, batchId);
                    }
                    CrashPoints.reach(CrashPoints.AFTER_CHANGELOG, batchId);
                });
                long[] mergedAt = new long[2];
                SideTask.joinAll(() -> {
                    mergedAt[0] = mergeAndRecordDeletes(spark, applied, tables, ok, forTable, changes, measured, batchId);
                    mergedAt[1] = System.currentTimeMillis();
                }, List.of(changelog));
                commitMs = mergedAt[0];
                long deletesMs = mergedAt[1] - commitMs;
                long changelogMs = changelog.await();
                LOG.info("Pipeline {} batch {}: {} valid, {} invalid; read, typing and profile {} ms, merge {} ms,"
                        + " deletes {} ms, changelog {} ms (beside them)", target.pipeline(), batchId, profile.valid(),
                        profile.invalid(), profiled - started, commitMs - profiled, deletesMs, changelogMs);
                long committedAt = commitMs;
                profile.streamedByTs().forEach((ts, n) -> {
                    freshness.record(committedAt - ts, n);
                    metrics.recordFreshness(committedAt - ts, n);
                });
            }
            metrics.recordBatch(profile.valid() + profile.invalid(), profile.valid(), profile.invalid(),
                    System.currentTimeMillis() - started, commitMs);
            return profile.ranges().highest();
        } finally {
            rows.unpersist();
        }
    }

    /** The valid changes as the current-state table takes them (a keyless table's updates split in two). */
    private static Dataset<Row> forApply(ApplyTarget target, Dataset<Row> valid) {
        return target.keyless() ? ChangeRows.keylessChanges(valid) : valid;
    }

    /**
     * Applies the newest change per key to the current-state table (by {@link ApplyPath}), then
     * records the deletes; each table gets only the records of the batch it does not hold yet.
     *
     * @param forTable the valid changes the table does not hold yet, or null
     * @param changes {@code forTable} as the table takes them (transformed), or null
     * @return when the current state was committed (or found committed)
     */
    private long mergeAndRecordDeletes(SparkSession spark, ApplyTarget target, Tables tables, Dataset<Row> ok,
            Dataset<Row> forTable, Dataset<Row> changes, Profile profile, long batchId) {
        BatchRanges ranges = profile.ranges();
        Dataset<Row> latest = null;
        EqualityUpsert.Collected collected = null;
        boolean sameRecords = ranges.sameRemainder(tables.inTable(), tables.inMarkers());
        try {
            if (forTable != null) {
                Dataset<Row> valid = forApply(target, forTable);
                // The newest change per key: the MERGE's source and, without a transform, the delete
                // markers' too (kept for them when the batch has deletes).
                latest = target.transform() == null && profile.packing() != null && !target.keyless()
                        ? ChangeTransform.changes(ChangeRows.latestPerKey(valid, target.key(), profile.packing(), profile.valid()), target)
                        : ChangeRows.latestPerKey(changes, target.key());
                if (profile.anyDelete() && target.transform() == null && sameRecords) {
                    latest = latest.persist(StorageLevel.MEMORY_AND_DISK());
                }
                Table table = tables.table();
                ApplyPath path = ApplyPath.choose(table, tables.markers(), target, new HashSet<>(List.of(latest.columns())),
                        profile.first());
                Map<String, String> summary = path.summaryAfter(profile.last(), summary(batchId, tables.inTable(), ranges));
                boolean upserted = false;
                if (path.equalityUpsert() && profile.valid() > COLLECTED_UPSERT_MAX_CHANGES) {
                    upserted = EqualityUpsert.commit(spark, table, latest, target.key(), path.base(), summary);
                } else if (path.equalityUpsert()) {
                    collected = EqualityUpsert.collect(table, ChangeTransform.changes(valid, target), target.key());
                    upserted = commitCollected(target, collected, path, summary);
                }
                if (!upserted) {
                    merge(spark, target, latest, tables.markers(), summary);
                }
                metrics.applyPath(upserted ? path.describe() : path.equalityUpsert()
                        ? "MERGE (another writer added rows while the upsert was written)" : path.describe());
                if (!Boolean.valueOf(path.equalityUpsert()).equals(upserting)) {
                    LOG.info("Pipeline {}: batch {} applied by {} (logged again when the way changes)",
                            target.pipeline(), batchId, path.describe());
                } else {
                    LOG.debug("Pipeline {} batch {}: applied by {}", target.pipeline(), batchId, path.describe());
                }
                upserting = path.equalityUpsert();
            }
            long commitMs = System.currentTimeMillis();
            CrashPoints.reach(CrashPoints.AFTER_MERGE, batchId);
            Dataset<Row> forMarkers = ranges.notIn(ok, tables.inMarkers());
            if (profile.anyDelete() && forMarkers != null) {
                Table markers = tables.markers();
                Map<String, String> markerSummary = HighWater.summaryAfter(HighWater.of(markers), profile.last(),
                        summary(batchId, tables.inMarkers(), ranges));
                if (sameRecords && collected != null && markers.spec().isUnpartitioned()) {
                    appendDeleteMarkers(target, collected, markers, markerSummary);
                } else if (sameRecords && latest != null && target.transform() == null) {
                    recordDeletes(target, latest, markerSummary);
                } else {
                    recordDeletes(target, ChangeRows.latestPerKey(forApply(target, forMarkers), target.key()), markerSummary);
                }
            }
            return commitMs;
        } finally {
            if (latest != null) {
                latest.unpersist();
            }
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

    /**
     * Follows new and wider columns, and required columns the events carry as null; returns the
     * target to use from now on (the same one if nothing changed).
     */
    private ApplyTarget evolveSchema(SparkSession spark, ApplyTarget target, List<String> declarations, Set<String> requiredNull) {
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
        if (incoming.isEmpty() && requiredNull.isEmpty()) {
            return target;
        }
        Table table = LakeTables.load(spark, target.table());
        SchemaEvolution.Plan plan = SchemaEvolution.plan(target.pipeline(), target.table(), table.schema(), incoming,
                requiredNull, target.foldCase());
        if (plan.isEmpty()) {
            return target;
        }
        SchemaEvolution.apply(LakeTables.load(spark, target.changelogTable()), plan, target.pipeline());
        SchemaEvolution.apply(table, plan, target.pipeline());
        spark.sql("REFRESH TABLE " + target.table());
        spark.sql("REFRESH TABLE " + target.changelogTable());
        ApplyTarget evolved = refresh.apply(spark, target);
        this.target = evolved;
        return evolved;
    }

    /** The commit summary of a table that held {@code held} before the batch. */
    private Map<String, String> summary(long batchId, CommittedOffsets held, BatchRanges ranges) {
        return Map.of(
                CommittedOffsets.JOB, job,
                CommittedOffsets.BATCH_ID, Long.toString(batchId),
                CommittedOffsets.KAFKA_OFFSETS, held.after(ranges.highest()).toString());
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

    /** Appends the changes of {@code rows} the changelog does not hold yet, and records what it holds after. */
    private void appendChangelog(SparkSession spark, ApplyTarget target, Tables tables, Dataset<Row> rows, Profile profile,
            long batchId) {
        Optional<ChangePosition> highWater = HighWater.of(tables.changelog());
        Dataset<Row> fresh = ChangelogIdentity.newChanges(spark, target, tables.changelog(), highWater, rows, profile.first());
        Map<String, String> summary = HighWater.summaryAfter(highWater, profile.last(),
                summary(batchId, tables.inChangelog(), profile.ranges()));
        List<Column> columns = new ArrayList<>();
        target.columns().forEach(c -> columns.add(col("`" + c.name() + "`")));
        if (target.keyless()) {
            columns.add(col(LakeshiftColumns.ROW_KEY));
        }
        for (String c : List.of(LakeshiftColumns.SEQ_HI, LakeshiftColumns.SEQ_LO, LakeshiftColumns.SOURCE_TS,
                LakeTables.OP, LakeTables.KAFKA_PARTITION, LakeTables.KAFKA_OFFSET)) {
            columns.add(col(c));
        }
        Dataset<Row> changelog = fresh.select(columns.toArray(Column[]::new));
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
            if (target.keyless()) {
                columns.add(LakeshiftColumns.ROW_KEY);
            }
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
