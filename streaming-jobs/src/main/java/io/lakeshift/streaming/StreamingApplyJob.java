package io.lakeshift.streaming;

import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.envelope.TopicNames;
import io.lakeshift.lakehouse.LakeshiftColumns;
import io.lakeshift.lakehouse.SparkSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.deletes.DeleteGranularity;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming apply job: reads the change topics of one source's pipelines from Kafka and
 * applies them to their Iceberg tables. Runs under the lakeshift command or spark-submit:
 *
 * <pre>
 * spark-submit --class io.lakeshift.streaming.StreamingApplyJob lakeshift-jobs.jar \
 *     --config lakeshift.yaml --source retail --trigger continuous
 * </pre>
 *
 * {@code --trigger continuous} (processing-time, {@code spark.triggerIntervalMs}) or
 * {@code available-now} (process what is there, then stop); both share each pipeline's checkpoint.
 */
public final class StreamingApplyJob {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingApplyJob.class);

    /** Records per poll of the executors' Kafka consumers, unless the Kafka client properties say otherwise. */
    static final String KAFKA_MAX_POLL_RECORDS = "20000";
    static final String KAFKA_MAX_PARTITION_FETCH_BYTES = Integer.toString(16 * 1024 * 1024);
    static final String KAFKA_FETCH_MAX_WAIT_MS = "10";

    /** How a run is triggered. */
    public enum Mode { CONTINUOUS, AVAILABLE_NOW }

    private StreamingApplyJob() {
    }

    public static void main(String[] args) throws Exception {
        JobArguments arguments = JobArguments.parse(args, Set.of("source", "trigger"));
        LakeshiftConfig config = arguments.loadConfig();
        String source = arguments.option("source", config.sources().get(0).name());
        Mode mode = "available-now".equals(arguments.option("trigger", "continuous")) ? Mode.AVAILABLE_NOW : Mode.CONTINUOUS;
        SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-apply-" + source)).getOrCreate();
        try (RunningApply apply = start(spark, config, source, mode)) {
            apply.awaitTermination();
        }
    }

    /** The job name of a source's apply job; it names the checkpoint and marks its commits. */
    public static String jobName(String source) {
        return "apply-" + source;
    }

    /**
     * Where a pipeline's query keeps its checkpoint: its own folder, under its source's job folder.
     * The progress belongs to the pipeline, so pipelines come and go without touching their siblings.
     */
    public static String checkpoint(LakeshiftConfig config, String source, String pipeline) {
        return config.spark().checkpointDir() + "/" + jobName(source) + "/" + pipeline;
    }

    /**
     * Starts the job for every pipeline of {@code source}, one streaming query per pipeline, each
     * with its own checkpoint ({@link #checkpoint}); the current-state tables must exist, their
     * changelog and delete-marker tables are created when missing. A pipeline that fails (at start,
     * when Kafka no longer holds what it must read next, or later) stops alone, with its error in
     * its status; the others go on.
     */
    public static RunningApply start(SparkSession spark, LakeshiftConfig config, String source, Mode mode)
            throws TimeoutException {
        List<ApplyTarget> targets = new ArrayList<>();
        for (PipelineConfig p : config.pipelinesOf(source)) {
            ApplyTarget target = target(spark, config, p);
            Table table = LakeTables.load(spark, target.table());
            applyWriteMode(table, p);
            LakeTables.ensureCompanions(spark, config.catalog().name(), table, target.table());
            targets.add(target);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("source '" + source + "' has no pipelines");
        }
        String job = jobName(source);
        Map<String, PipelineMetrics> metrics = new LinkedHashMap<>();
        targets.forEach(t -> metrics.put(t.pipeline(), new PipelineMetrics(t.pipeline())));
        FreshnessRecorder freshness = new FreshnessRecorder();
        DeadLetterSink deadLetters = new DeadLetterSink(config.kafka(), "lakeshift-" + job + "-dlq");
        PipelineStatusReporter reporter = new PipelineStatusReporter(config, job, metrics, freshness);

        // Spark 4.1's Kafka micro-batch stream (DataSource V2) cannot restart a micro-batch that a
        // crash left uncommitted: it fails with a NullPointerException in its progress metrics. The
        // V1 Kafka source reads the same checkpoint format and restarts cleanly.
        spark.conf().set("spark.sql.streaming.disabledV2MicroBatchReaders",
                "org.apache.spark.sql.kafka010.KafkaSourceProvider");
        // Each batch's typed rows are cached for the steps that follow; compressing that cache
        // (Spark's default) cost more CPU than parsing the envelopes, for rows read twice and dropped.
        spark.conf().set("spark.sql.inMemoryColumnarStorage.compressed", "false");
        RunningApply running = new RunningApply(spark, job, metrics, freshness, deadLetters, reporter, config.kafka());
        try {
            for (ApplyTarget target : targets) {
                PipelineMetrics m = metrics.get(target.pipeline());
                ChangeBatchApplier applier = new ChangeBatchApplier(job, target, StreamingApplyJob::withColumns, m, freshness,
                        deadLetters, reporter::report);
                try {
                    running.add(target, applier, startQuery(spark, config, source, mode, target, applier));
                } catch (StartingOffsets.DataLossException e) {
                    LOG.error("Pipeline {} not started: {}", target.pipeline(), e.getMessage());
                    running.failedToStart(target, applier, e);
                }
            }
        } catch (TimeoutException | RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    private static StreamingQuery startQuery(SparkSession spark, LakeshiftConfig config, String source, Mode mode,
            ApplyTarget target, ChangeBatchApplier applier) throws TimeoutException {
        String checkpoint = checkpoint(config, source, target.pipeline());
        String starting = "earliest";
        if (!StartingOffsets.hasCheckpoint(checkpoint, spark.sparkContext().hadoopConfiguration())) {
            // No checkpoint (a new pipeline, or one lost or deleted): start after what the tables hold.
            Table table = LakeTables.load(spark, target.table());
            Table changelog = LakeTables.load(spark, target.changelogTable());
            table.refresh();
            changelog.refresh();
            CommittedOffsets held = CommittedOffsets.of(table).lowest(CommittedOffsets.of(changelog));
            starting = StartingOffsets.of(target.pipeline(), target.topic(), held, config.kafka());
            LOG.info("Pipeline {}: no checkpoint at {}; its tables hold {} of {}: starting at {}", target.pipeline(), checkpoint,
                    held.isEmpty() ? "nothing" : held, target.topic(), starting);
        }
        var reader = spark.readStream().format("kafka")
                .option("subscribe", target.topic())
                .option("startingOffsets", starting)
                .option("maxOffsetsPerTrigger", config.spark().maxOffsetsPerTrigger())
                .option("failOnDataLoss", "true")
                // A change topic often has one partition: a full batch is split so that every core
                // reads and parses a share of it, while a small one stays one task (splitting 40
                // records in two doubles the tasks of every later step and the changelog's files).
                .option("maxRecordsPerPartition", recordsPerTask(config.spark().maxOffsetsPerTrigger(),
                        spark.sparkContext().defaultParallelism()))
                // Spark's Kafka reader seeks and asks for the partition's offset range on every poll:
                // polls of 500 records (Kafka's default) make that per-poll cost dominate a large batch.
                .option("kafka.max.poll.records", KAFKA_MAX_POLL_RECORDS)
                .option("kafka.max.partition.fetch.bytes", KAFKA_MAX_PARTITION_FETCH_BYTES)
                // A task's poll of a range it knows to be there took about 510-570 ms whatever it
                // read (100 or 10,000 records): Kafka's default fetch.max.wait.ms of 500 ms. With a
                // short wait the same polls take 30-95 ms; Spark never polls a range without records.
                .option("kafka.fetch.max.wait.ms", KAFKA_FETCH_MAX_WAIT_MS);
        for (Map.Entry<String, Object> e : config.kafka().clientProperties().entrySet()) {
            reader = reader.option("kafka." + e.getKey(), String.valueOf(e.getValue()));
        }
        Trigger trigger = mode == Mode.AVAILABLE_NOW
                ? Trigger.AvailableNow()
                : Trigger.ProcessingTime(config.spark().triggerIntervalMs());
        StreamingQuery query = reader.load().writeStream()
                .queryName(jobName(source) + "/" + target.pipeline())
                .option("checkpointLocation", checkpoint)
                .trigger(trigger)
                .foreachBatch(applier)
                .start();
        LOG.info("Started pipeline {} ({}) on topic {} with checkpoint {}", target.pipeline(), mode, target.topic(), checkpoint);
        return query;
    }

    /**
     * Keeps the table's write settings in line with the pipeline: its write mode (merge-on-read or
     * copy-on-write) for MERGE, UPDATE and DELETE, and two settings the apply job's small, frequent
     * commits need. Position deletes are written one file per task, not one per data file touched:
     * a batch of updates touches most of the table's files, and opening and closing a Parquet writer
     * for each made writing the deletes the slowest step of a small batch. And a file to open
     * costs 512 KiB instead of 4 MiB when scans are split: Iceberg counts each delete file that
     * applies to a data file as one more file to open, so between two compactions every data file
     * became a scan task of its own. An unpartitioned table's MERGE output needs no clustering
     * either: its rows are written as they come, without a shuffle.
     */
    private static void applyWriteMode(Table table, PipelineConfig pipeline) {
        String mode = pipeline.writeMode();
        Map<String, String> wanted = new LinkedHashMap<>(Map.of(
                TableProperties.MERGE_MODE, mode,
                TableProperties.UPDATE_MODE, mode,
                TableProperties.DELETE_MODE, mode,
                TableProperties.DELETE_GRANULARITY, DeleteGranularity.PARTITION.toString(),
                TableProperties.SPLIT_OPEN_FILE_COST, Long.toString(512 * 1024),
                // the upper bound of each file's positions, which HighWater reads after another writer
                TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + LakeshiftColumns.SEQ_HI, "full"));
        String none = DistributionMode.NONE.modeName();
        if (table.spec().isUnpartitioned()) {
            wanted.put(TableProperties.MERGE_DISTRIBUTION_MODE, none);
        }
        Map<String, String> changed = new LinkedHashMap<>();
        wanted.forEach((key, value) -> {
            if (!value.equals(table.properties().get(key))) {
                changed.put(key, value);
            }
        });
        // a table partitioned since: its MERGE clusters its output by partition again
        boolean unclusteredPartitioned = !table.spec().isUnpartitioned()
                && none.equals(table.properties().get(TableProperties.MERGE_DISTRIBUTION_MODE));
        if (!changed.isEmpty() || unclusteredPartitioned) {
            var update = table.updateProperties();
            changed.forEach(update::set);
            if (unclusteredPartitioned) {
                update.remove(TableProperties.MERGE_DISTRIBUTION_MODE);
            }
            update.commit();
            LOG.info("Pipeline {}: table {} now writes {} ({})", pipeline.name(), table.name(), mode, changed);
        }
    }

    private static ApplyTarget withColumns(SparkSession spark, ApplyTarget target) {
        List<ApplyTarget.TargetColumn> columns = new ArrayList<>();
        for (StructField f : spark.table(target.table()).schema().fields()) {
            if (!LakeshiftColumns.isBookkeeping(f.name())) {
                columns.add(new ApplyTarget.TargetColumn(f.name(), f.dataType(), !f.nullable()));
            }
        }
        return target.withColumns(columns);
    }

    private static ApplyTarget target(SparkSession spark, LakeshiftConfig config, PipelineConfig p) {
        String table = config.catalog().name() + "." + p.target();
        Table iceberg;
        try {
            iceberg = Spark3Util.loadIcebergTable(spark, table);
        } catch (Exception e) {
            throw new IllegalStateException("pipeline " + p.name() + ": table " + table
                    + " does not exist; it is created from the source schema when ingestion starts", e);
        }
        List<String> key = p.key().isEmpty() ? List.copyOf(iceberg.schema().identifierFieldNames()) : p.key();
        if (key.isEmpty()) {
            throw new IllegalStateException("pipeline " + p.name() + ": table " + table
                    + " has no identifier fields; declare 'key' in the pipeline (a source table without a key is applied"
                    + " by a lake table whose only identifier field is " + LakeshiftColumns.ROW_KEY + ")");
        }
        String prefix = config.source(p.source()).map(s -> s.topicPrefixOr(config.kafka().topicPrefix()))
                .orElse(config.kafka().topicPrefix());
        String topic = TopicNames.changes(prefix, p.source(), p.sourceSchema(), p.sourceTable());
        String transform = p.transform() == null || p.transform().isBlank() ? null : p.transform().strip();
        // lake tables are created with lower-case columns unless catalog.lowerCaseNames is false
        boolean foldCase = config.catalog().lowerCaseNames();
        return withColumns(spark, new ApplyTarget(p.name(), topic, table, key, List.of(), transform, foldCase));
    }

    /** Records per read task: a batch of {@code maxOffsetsPerTrigger} records is one task per core. */
    static long recordsPerTask(long maxOffsetsPerTrigger, int parallelism) {
        int cores = Math.max(1, parallelism);
        return Math.max(1, maxOffsetsPerTrigger / cores + (maxOffsetsPerTrigger % cores == 0 ? 0 : 1));
    }
}
