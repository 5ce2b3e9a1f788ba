package io.lakeshift.streaming;

import io.lakeshift.core.config.KafkaConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started apply job: one streaming query per pipeline, their metrics, and a way to wait until
 * they have caught up with Kafka. A pipeline that fails stops alone; its error is in its status
 * and in {@link #failures()}.
 */
public final class RunningApply implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningApply.class);

    /** One pipeline's query, or why it could not start. */
    private record PipelineRun(ApplyTarget target, ChangeBatchApplier applier, StreamingQuery query, RuntimeException startFailure) {
    }

    private final SparkSession spark;
    private final String job;
    private final List<PipelineRun> runs = Collections.synchronizedList(new ArrayList<>());
    private final Map<UUID, String> pipelineByQuery = new ConcurrentHashMap<>();
    private final Map<String, PipelineMetrics> metrics;
    private final FreshnessRecorder freshness;
    private final DeadLetterSink deadLetters;
    private final PipelineStatusReporter reporter;
    private final KafkaConfig kafka;
    private final StreamingQueryListener failures;

    RunningApply(SparkSession spark, String job, Map<String, PipelineMetrics> metrics, FreshnessRecorder freshness,
            DeadLetterSink deadLetters, PipelineStatusReporter reporter, KafkaConfig kafka) {
        this.spark = spark;
        this.job = job;
        this.metrics = metrics;
        this.freshness = freshness;
        this.deadLetters = deadLetters;
        this.reporter = reporter;
        this.kafka = kafka;
        this.failures = new FailureListener();
        spark.streams().addListener(failures);
    }

    void add(ApplyTarget target, ChangeBatchApplier applier, StreamingQuery query) {
        pipelineByQuery.put(query.id(), target.pipeline());
        runs.add(new PipelineRun(target, applier, query, null));
    }

    void failedToStart(ApplyTarget target, ChangeBatchApplier applier, RuntimeException failure) {
        runs.add(new PipelineRun(target, applier, null, failure));
        reporter.failed(target.pipeline(), failure.getMessage());
    }

    /** Reports a pipeline's failure the moment its query ends with one, whoever waits for it. */
    private final class FailureListener extends StreamingQueryListener {

        @Override
        public void onQueryStarted(QueryStartedEvent event) {
        }

        @Override
        public void onQueryProgress(QueryProgressEvent event) {
            String pipeline = pipelineByQuery.get(event.progress().id());
            if (pipeline != null) {
                for (SourceProgress source : event.progress().sources()) {
                    reporter.kafkaLag(pipeline, KafkaLag.of(source));
                }
            }
        }

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
            String pipeline = pipelineByQuery.get(event.id());
            if (pipeline != null && event.exception().isDefined()) {
                LOG.error("Job {}: pipeline {} stopped; the job's other pipelines go on: {}", job, pipeline, event.exception().get());
                reporter.failed(pipeline, event.exception().get());
            }
        }
    }

    private List<PipelineRun> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    /**
     * The first pipeline's query.
     *
     * @deprecated the job runs one query per pipeline: use {@link #queries()}, {@link #failures()}
     *     and {@link #awaitTermination(Duration)}
     */
    @Deprecated
    public StreamingQuery query() {
        return runs().stream().map(PipelineRun::query).filter(q -> q != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no pipeline of " + job + " is running: " + failures()));
    }

    /** The running queries by pipeline name (a pipeline that could not start has none). */
    public Map<String, StreamingQuery> queries() {
        Map<String, StreamingQuery> out = new LinkedHashMap<>();
        runs().stream().filter(r -> r.query() != null).forEach(r -> out.put(r.target().pipeline(), r.query()));
        return out;
    }

    /** The pipelines that stopped with an error, and the error. */
    public Map<String, Throwable> failures() {
        Map<String, Throwable> out = new LinkedHashMap<>();
        for (PipelineRun r : runs()) {
            if (r.startFailure() != null) {
                out.put(r.target().pipeline(), r.startFailure());
            } else if (r.query().exception().isDefined()) {
                out.put(r.target().pipeline(), r.query().exception().get());
            }
        }
        return out;
    }

    /**
     * The failed pipelines whose failure a restart can heal (the broker, the catalog or the object
     * store unreachable for a while), as opposed to a pipeline that must stop until someone acts: an
     * incompatible schema change, a failing transform, changes no longer in Kafka.
     */
    public Map<String, Throwable> transientFailures() {
        Map<String, Throwable> out = new LinkedHashMap<>();
        failures().forEach((pipeline, failure) -> {
            if (!mustStop(failure)) {
                out.put(pipeline, failure);
            }
        });
        return out;
    }

    /** Whether every pipeline's query has ended (or never started). */
    public boolean ended() {
        return runs().stream().allMatch(r -> r.query() == null || !r.query().isActive());
    }

    static boolean mustStop(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IncompatibleSchemaChangeException || t instanceof ChangeTransform.PipelineTransformException
                    || t instanceof StartingOffsets.DataLossException) {
                return true;
            }
        }
        return false;
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

    /**
     * Waits until every pipeline's query ends (available-now runs end by themselves), then
     * rethrows the first failure; a failing pipeline does not stop the others.
     */
    public void awaitTermination() throws StreamingQueryException {
        StreamingQueryException queryFailure = null;
        for (PipelineRun r : runs()) {
            if (r.query() == null) {
                continue;
            }
            try {
                r.query().awaitTermination();
            } catch (StreamingQueryException e) {
                reporter.failed(r.target().pipeline(), e.getMessage());
                if (queryFailure == null) {
                    queryFailure = e;
                }
            }
        }
        if (queryFailure != null) {
            throw queryFailure;
        }
        for (PipelineRun r : runs()) {
            if (r.startFailure() != null) {
                throw r.startFailure();
            }
        }
    }

    /**
     * Waits up to {@code timeout} until every pipeline's query ends, failed or not.
     *
     * @return whether they all ended
     */
    public boolean awaitTermination(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PipelineRun r : runs()) {
            if (r.query() == null) {
                continue;
            }
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (!r.query().awaitTermination(left)) {
                    return false;
                }
            } catch (StreamingQueryException e) {
                reporter.failed(r.target().pipeline(), e.getMessage());
            }
        }
        return true;
    }

    /**
     * Waits until every record that is in the job's topics now has been applied.
     *
     * @throws TimeoutException when it has not within {@code timeout}
     * @throws IllegalStateException when a pipeline has failed (it will not catch up)
     */
    public void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
        Map<String, Long> end = endOffsets();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Throwable> failed = failures();
            if (!failed.isEmpty()) {
                Map.Entry<String, Throwable> first = failed.entrySet().iterator().next();
                reporter.failed(first.getKey(), first.getValue().getMessage());
                throw new IllegalStateException("pipeline " + first.getKey() + " of " + job + " failed: "
                        + first.getValue().getMessage(), first.getValue());
            }
            Map<String, Long> applied = appliedOffsets();
            if (caughtUp(end, applied)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("apply job did not catch up with Kafka within " + timeout
                        + ": end offsets " + end + ", applied " + applied);
            }
            Thread.sleep(200);
        }
    }

    private Map<String, Long> appliedOffsets() {
        Map<String, Long> applied = new HashMap<>();
        runs().forEach(r -> applied.putAll(r.applier().appliedOffsets()));
        return applied;
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
            List<TopicPartition> partitions = new ArrayList<>();
            for (PipelineRun r : runs()) {
                List<PartitionInfo> infos = consumer.partitionsFor(r.target().topic(), Duration.ofSeconds(30));
                if (infos != null) {
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
            }
            Map<String, Long> end = new HashMap<>();
            consumer.endOffsets(partitions, Duration.ofSeconds(30))
                    .forEach((tp, offset) -> end.put(CommittedOffsets.partitionKey(tp.topic(), tp.partition()), offset));
            return end;
        }
    }

    /** Stops every query, waiting for the batch each has in flight. */
    @Override
    public void close() {
        try {
            for (PipelineRun r : runs()) {
                if (r.query() == null) {
                    continue;
                }
                try {
                    awaitBatchBoundary(r.query(), Duration.ofSeconds(30));
                    r.query().stop();
                } catch (TimeoutException e) {
                    LOG.warn("Streaming query {} did not stop in time", r.query().name(), e);
                }
                if (r.query().exception().isDefined()) {
                    reporter.failed(r.target().pipeline(), r.query().exception().get().getMessage());
                }
            }
        } finally {
            spark.streams().removeListener(failures);
            deadLetters.close();
            reporter.close();
        }
    }

    /**
     * Waits, up to {@code timeout}, for a moment between two batches. Spark interrupts a batch that
     * is running when its query stops, and reports the interrupted batch as the query failing: the
     * tables are still right (the batch is applied again at restart), but the operator reads an error.
     */
    private static void awaitBatchBoundary(StreamingQuery query, Duration timeout) {
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
