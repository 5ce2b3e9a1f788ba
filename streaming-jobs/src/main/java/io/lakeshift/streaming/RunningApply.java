package io.lakeshift.streaming;

import io.lakeshift.core.config.KafkaConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started apply job: its query, metrics, and a way to wait until it has caught up with Kafka. */
public final class RunningApply implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningApply.class);

    private final StreamingQuery query;
    private final ChangeBatchApplier applier;
    private final Map<String, PipelineMetrics> metrics;
    private final FreshnessRecorder freshness;
    private final DeadLetterSink deadLetters;
    private final PipelineStatusReporter reporter;
    private final KafkaConfig kafka;
    private final List<String> topics;

    RunningApply(StreamingQuery query, ChangeBatchApplier applier, Map<String, PipelineMetrics> metrics,
            FreshnessRecorder freshness, DeadLetterSink deadLetters, PipelineStatusReporter reporter, KafkaConfig kafka,
            List<String> topics) {
        this.query = query;
        this.applier = applier;
        this.metrics = metrics;
        this.freshness = freshness;
        this.deadLetters = deadLetters;
        this.reporter = reporter;
        this.kafka = kafka;
        this.topics = topics;
    }

    public StreamingQuery query() {
        return query;
    }

    /** Metrics per pipeline name. */
    public Map<String, PipelineMetrics> metrics() {
        return metrics;
    }

    public FreshnessRecorder freshness() {
        return freshness;
    }

    /** The job's metrics in Prometheus' text format, as its endpoint serves them. */
    public String prometheusScrape() {
        return reporter.scrape();
    }

    /** Waits until the query ends (available-now runs end by themselves); rethrows its failure. */
    public void awaitTermination() throws org.apache.spark.sql.streaming.StreamingQueryException {
        try {
            query.awaitTermination();
        } catch (org.apache.spark.sql.streaming.StreamingQueryException e) {
            reporter.failed(e);
            throw e;
        }
    }

    /**
     * Waits until every record that is in the job's topics now has been applied.
     *
     * @throws TimeoutException when it has not within {@code timeout}
     * @throws IllegalStateException when the query has failed
     */
    public void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
        Map<String, Long> end = endOffsets();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (query.exception().isDefined()) {
                reporter.failed(query.exception().get());
                throw new IllegalStateException("streaming job failed: " + query.exception().get().getMessage(),
                        query.exception().get());
            }
            if (caughtUp(end, applier.appliedOffsets())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("apply job did not catch up with Kafka within " + timeout
                        + ": end offsets " + end + ", applied " + applier.appliedOffsets());
            }
            Thread.sleep(200);
        }
    }

    static boolean caughtUp(Map<String, Long> endOffsets, Map<String, Long> applied) {
        for (Map.Entry<String, Long> e : endOffsets.entrySet()) {
            if (e.getValue() > 0 && applied.getOrDefault(e.getKey(), -1L) + 1 < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Long> endOffsets() {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos != null) {
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
            }
            Map<String, Long> end = new HashMap<>();
            consumer.endOffsets(partitions, Duration.ofSeconds(30))
                    .forEach((tp, offset) -> end.put(tp.topic() + "-" + tp.partition(), offset));
            return end;
        }
    }

    /** Stops the query, waiting for the batch in flight. */
    @Override
    public void close() {
        try {
            awaitBatchBoundary(Duration.ofSeconds(30));
            query.stop();
        } catch (TimeoutException e) {
            LOG.warn("Streaming query {} did not stop in time", query.name(), e);
        } finally {
            deadLetters.close();
            if (query.exception().isDefined()) {
                reporter.failed(query.exception().get());
            }
            reporter.close();
        }
    }

    /**
     * Waits, up to {@code timeout}, for a moment between two batches. Spark interrupts a batch that
     * is running when its query stops, and reports the interrupted batch as the query failing: the
     * tables are still right (the batch is applied again at restart), but the operator reads an error.
     */
    private void awaitBatchBoundary(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
