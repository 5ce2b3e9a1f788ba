package io.lakeshift.streaming;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.max;

import io.lakeshift.lakehouse.LakeshiftColumns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one micro-batch of change events to every target table: validate and type each event,
 * dead-letter the ones that cannot be applied, keep the newest change per key, and MERGE it into
 * the table unless the table already holds a newer change for that key. Each MERGE commit records
 * the job and batch id in the snapshot summary; a batch already committed to a table is skipped.
 */
final class ChangeBatchApplier implements VoidFunction2<Dataset<Row>, Long> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeBatchApplier.class);

    private final String job;
    private final List<ApplyTarget> targets;
    private final Map<String, PipelineMetrics> metrics;
    private final FreshnessRecorder freshness;
    private final DeadLetterSink deadLetters;
    private final Map<String, Long> appliedOffsets = new ConcurrentHashMap<>();

    ChangeBatchApplier(String job, List<ApplyTarget> targets, Map<String, PipelineMetrics> metrics,
            FreshnessRecorder freshness, DeadLetterSink deadLetters) {
        this.job = job;
        this.targets = List.copyOf(targets);
        this.metrics = metrics;
        this.freshness = freshness;
        this.deadLetters = deadLetters;
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
        Dataset<Row> parsed = batch
                .select(col("topic"), col("partition"), col("offset"),
                        col("key").cast("string").as("raw_key"), col("value").cast("string").as("raw_value"))
                .withColumn("e", from_json(col("raw_value"), EnvelopeSchema.VALUE))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> offsets = new HashMap<>();
            for (Row r : parsed.groupBy("topic", "partition").agg(max("offset")).collectAsList()) {
                offsets.put(r.getString(0) + "-" + r.getInt(1), r.getLong(2));
            }
            if (offsets.isEmpty()) {
                return;
            }
            long before = totalApplied();
            for (ApplyTarget target : targets) {
                applyTo(spark, target, parsed.filter(col("topic").equalTo(target.topic())), batchId, offsets);
            }
            appliedOffsets.putAll(offsets);
            LOG.info("Job {} batch {}: {} change(s) applied in {} ms", job, batchId, totalApplied() - before,
                    System.currentTimeMillis() - started);
        } finally {
            parsed.unpersist();
        }
    }

    private void applyTo(SparkSession spark, ApplyTarget target, Dataset<Row> events, long batchId, Map<String, Long> offsets) {
        long started = System.currentTimeMillis();
        Dataset<Row> rows = ChangeRows.typed(events, target).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // One pass: counts of valid and invalid rows, and source commit times of streamed changes.
            List<Row> profile = rows.groupBy(col(ChangeRows.REASON).isNull().as("ok"), col(ChangeRows.SNAPSHOT),
                    col(ChangeRows.SOURCE_TS_MS)).count().collectAsList();
            long valid = 0;
            long invalid = 0;
            Map<Long, Long> streamedByTs = new HashMap<>();
            for (Row r : profile) {
                long n = r.getLong(3);
                if (r.getBoolean(0)) {
                    valid += n;
                    if (!r.isNullAt(1) && !r.getBoolean(1) && !r.isNullAt(2)) {
                        streamedByTs.merge(r.getLong(2), n, Long::sum);
                    }
                } else {
                    invalid += n;
                }
            }
            if (valid + invalid == 0) {
                return;
            }
            if (invalid > 0) {
                deadLetter(target, rows);
            }
            long commitMs = started;
            if (valid > 0) {
                long last = CommittedBatches.lastCommitted(spark, target.table(), job);
                if (last >= batchId) {
                    LOG.info("Job {} batch {} is already committed to {} (snapshot summary says batch {}): skipped",
                            job, batchId, target.table(), last);
                } else {
                    merge(spark, target, rows.filter(col(ChangeRows.REASON).isNull()), batchId, offsets);
                    commitMs = System.currentTimeMillis();
                    streamedByTs.forEach((ts, n) -> freshness.record(System.currentTimeMillis() - ts, n));
                }
            }
            metrics.get(target.pipeline()).recordBatch(valid + invalid, valid, invalid,
                    System.currentTimeMillis() - started, commitMs);
        } finally {
            rows.unpersist();
        }
    }

    private void deadLetter(ApplyTarget target, Dataset<Row> rows) {
        List<DeadLetterSink.DeadLetter> letters = new ArrayList<>();
        for (Row r : rows.filter(col(ChangeRows.REASON).isNotNull())
                .select(ChangeRows.RAW_KEY, ChangeRows.RAW_VALUE, ChangeRows.REASON, ChangeRows.ORIGIN).collectAsList()) {
            letters.add(new DeadLetterSink.DeadLetter(r.getString(0), r.getString(1), r.getString(2), r.getString(3)));
        }
        deadLetters.send(target.topic(), letters);
        LOG.warn("Pipeline {}: {} record(s) sent to {}.dlq; first reason: {}", target.pipeline(), letters.size(),
                target.topic(), letters.get(0).reason());
    }

    private void merge(SparkSession spark, ApplyTarget target, Dataset<Row> valid, long batchId, Map<String, Long> offsets) {
        String view = "ls_changes_" + target.pipeline().replaceAll("[^A-Za-z0-9_]", "_");
        ChangeRows.latestPerKey(valid, target.key()).createOrReplaceTempView(view);
        String sql = MergeStatement.build(target, view);
        Map<String, String> summary = Map.of(
                CommittedBatches.JOB, job,
                CommittedBatches.BATCH_ID, Long.toString(batchId),
                CommittedBatches.KAFKA_OFFSETS, offsets.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(target.topic() + "-"))
                        .map(e -> e.getKey() + ":" + e.getValue()).sorted().collect(Collectors.joining(",")));
        CommitMetadata.withCommitProperties(summary, () -> spark.sql(sql), RuntimeException.class);
        spark.catalog().dropTempView(view);
    }

    /** The MERGE that applies the newest change per key unless the table holds a newer one. */
    static final class MergeStatement {

        private MergeStatement() {
        }

        static String build(ApplyTarget target, String view) {
            String on = target.key().stream().map(k -> "t." + q(k) + " = s." + q(k)).collect(Collectors.joining(" AND "));
            String newer = "(t." + q(LakeshiftColumns.SEQ_HI) + " IS NULL"
                    + " OR s." + q(LakeshiftColumns.SEQ_HI) + " > t." + q(LakeshiftColumns.SEQ_HI)
                    + " OR (s." + q(LakeshiftColumns.SEQ_HI) + " = t." + q(LakeshiftColumns.SEQ_HI)
                    + " AND s." + q(LakeshiftColumns.SEQ_LO) + " > t." + q(LakeshiftColumns.SEQ_LO) + "))";
            List<String> columns = new ArrayList<>();
            target.columns().forEach(c -> columns.add(c.name()));
            columns.add(LakeshiftColumns.SEQ_HI);
            columns.add(LakeshiftColumns.SEQ_LO);
            columns.add(LakeshiftColumns.SOURCE_TS);
            String set = columns.stream().map(c -> "t." + q(c) + " = s." + q(c)).collect(Collectors.joining(", "));
            String insertColumns = columns.stream().map(MergeStatement::q).collect(Collectors.joining(", "));
            String insertValues = columns.stream().map(c -> "s." + q(c)).collect(Collectors.joining(", "));
            String op = "s." + q(ChangeRows.OP);
            return "MERGE INTO " + target.table() + " t USING " + view + " s ON " + on
                    + " WHEN MATCHED AND " + op + " = 'd' AND " + newer + " THEN DELETE"
                    + " WHEN MATCHED AND " + op + " <> 'd' AND " + newer + " THEN UPDATE SET " + set
                    + " WHEN NOT MATCHED AND " + op + " <> 'd' THEN INSERT (" + insertColumns + ") VALUES (" + insertValues + ")";
        }

        static String q(String identifier) {
            return "`" + identifier.replace("`", "``") + "`";
        }
    }
}
