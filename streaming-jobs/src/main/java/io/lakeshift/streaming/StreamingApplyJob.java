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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.Table;
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
 * {@code available-now} (process what is there, then stop); both share one checkpoint.
 */
public final class StreamingApplyJob {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingApplyJob.class);

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
            apply.query().awaitTermination();
        }
    }

    /** The job name of a source's apply job; it names the checkpoint and marks its commits. */
    public static String jobName(String source) {
        return "apply-" + source;
    }

    /**
     * Starts the job for every pipeline of {@code source}; the tables must exist.
     */
    public static RunningApply start(SparkSession spark, LakeshiftConfig config, String source, Mode mode)
            throws TimeoutException {
        List<ApplyTarget> targets = new ArrayList<>();
        for (PipelineConfig p : config.pipelinesOf(source)) {
            targets.add(target(spark, config, p));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("source '" + source + "' has no pipelines");
        }
        String job = jobName(source);
        Map<String, PipelineMetrics> metrics = new LinkedHashMap<>();
        targets.forEach(t -> metrics.put(t.pipeline(), new PipelineMetrics(t.pipeline())));
        FreshnessRecorder freshness = new FreshnessRecorder();
        DeadLetterSink deadLetters = new DeadLetterSink(config.kafka(), "lakeshift-" + job + "-dlq");
        ChangeBatchApplier applier = new ChangeBatchApplier(job, targets, metrics, freshness, deadLetters);
        List<String> topics = targets.stream().map(ApplyTarget::topic).toList();

        var reader = spark.readStream().format("kafka")
                .option("subscribe", String.join(",", topics))
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", config.spark().maxOffsetsPerTrigger())
                .option("failOnDataLoss", "true");
        for (Map.Entry<String, Object> e : config.kafka().clientProperties().entrySet()) {
            reader = reader.option("kafka." + e.getKey(), String.valueOf(e.getValue()));
        }
        String checkpoint = config.spark().checkpointDir() + "/" + job;
        Trigger trigger = mode == Mode.AVAILABLE_NOW
                ? Trigger.AvailableNow()
                : Trigger.ProcessingTime(config.spark().triggerIntervalMs());
        StreamingQuery query = reader.load().writeStream()
                .queryName(job)
                .option("checkpointLocation", checkpoint)
                .trigger(trigger)
                .foreachBatch(applier)
                .start();
        LOG.info("Started {} ({}) on topics {} with checkpoint {}", job, mode, topics, checkpoint);
        return new RunningApply(query, applier, metrics, freshness, deadLetters, config.kafka(), topics);
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
                    + " has no identifier fields; declare 'key' in the pipeline");
        }
        List<ApplyTarget.TargetColumn> columns = new ArrayList<>();
        for (StructField f : spark.table(table).schema().fields()) {
            if (!LakeshiftColumns.isBookkeeping(f.name())) {
                columns.add(new ApplyTarget.TargetColumn(f.name(), f.dataType(), !f.nullable()));
            }
        }
        String topic = TopicNames.changes(config.kafka().topicPrefix(), p.source(), p.sourceSchema(), p.sourceTable());
        return new ApplyTarget(p.name(), topic, table, key, columns);
    }
}
