package io.lakeshift.streaming;

import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.metrics.MetricsEndpoint;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an apply job's per-pipeline metrics: as status files under the data folder (read by
 * {@code lakeshift pipelines status} and the console) after every batch and every
 * {@code metrics.statusIntervalMs}, and, when {@code metrics.prometheusPort}
 * is set, on a Prometheus endpoint bound to {@code metrics.bindAddress} (the loopback interface
 * unless an operator opens it up).
 */
final class PipelineStatusReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineStatusReporter.class);

    /** Histogram buckets of freshness: from what a tuned job shows to what an operator must hear about. */
    static final Duration[] FRESHNESS_BUCKETS = {Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
        Duration.ofMinutes(5), Duration.ofMinutes(15)};

    private final String job;
    private final Map<String, PipelineMetrics> metrics;
    private final FreshnessRecorder freshness;
    private final StatusFiles files;
    private final MetricsEndpoint endpoint;
    private final PrometheusMeterRegistry registry;
    /** By pipeline: RUNNING, FAILED or STOPPED, and the error that stopped a failed one. */
    private final Map<String, String> states = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> errors = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lakeshift-pipeline-status");
        t.setDaemon(true);
        return t;
    });

    PipelineStatusReporter(LakeshiftConfig config, String job, Map<String, PipelineMetrics> metrics, FreshnessRecorder freshness) {
        this.job = job;
        this.metrics = metrics;
        this.freshness = freshness;
        this.files = new StatusFiles(config.dataDir(), "pipelines");
        this.endpoint = MetricsEndpoint.start(config.metrics(), job).readiness(this::notRunning);
        // A quiet source runs no batch: without its own beat, a healthy job's status would age into "gone".
        long every = config.metrics() == null ? 2_000 : config.metrics().statusIntervalMs();
        beat.scheduleWithFixedDelay(this::reportQuietly, every, every, TimeUnit.MILLISECONDS);
        this.registry = endpoint.registry();
        metrics.values().forEach(this::bind);
        Gauge.builder("lakeshift.freshness.p50", freshness, f -> seconds(f.percentile(0.5))).tag("job", job).baseUnit("seconds")
                .description("source commit to lake commit over the last five minutes, median, every pipeline of the job")
                .register(registry);
        Gauge.builder("lakeshift.freshness.p99", freshness, f -> seconds(f.percentile(0.99))).tag("job", job).baseUnit("seconds")
                .description("source commit to lake commit over the last five minutes, 99th percentile, every pipeline of the job")
                .register(registry);
    }

    private void bind(PipelineMetrics m) {
        String p = m.pipeline();
        FunctionCounter.builder("lakeshift_pipeline_records_in", m, PipelineMetrics::recordsIn).tag("pipeline", p)
                .description("Kafka records read").register(registry);
        FunctionCounter.builder("lakeshift_pipeline_rows_applied", m, PipelineMetrics::rowsApplied).tag("pipeline", p)
                .description("changes applied to the lakehouse").register(registry);
        FunctionCounter.builder("lakeshift_pipeline_dead_letters", m, PipelineMetrics::deadLetters).tag("pipeline", p)
                .description("records sent to the dead-letter topic").register(registry);
        Gauge.builder("lakeshift.pipeline.last.batch.duration", m, x -> x.lastBatchMs() / 1000.0).tag("pipeline", p)
                .baseUnit("seconds").description("duration of the last micro-batch").register(registry);
        Gauge.builder("lakeshift.pipeline.freshness.p50", m, x -> seconds(x.freshness().percentile(0.5))).tag("pipeline", p)
                .baseUnit("seconds").description("source commit to lake commit over the last five minutes, median").register(registry);
        Gauge.builder("lakeshift.pipeline.freshness.p99", m, x -> seconds(x.freshness().percentile(0.99))).tag("pipeline", p)
                .baseUnit("seconds").description("source commit to lake commit over the last five minutes, 99th percentile")
                .register(registry);
        Gauge.builder("lakeshift_pipeline_input_rows_per_second", m, PipelineMetrics::inputRowsPerSecond).tag("pipeline", p)
                .description("records per second of the last micro-batch").register(registry);
        m.publishFreshnessTo(Timer.builder("lakeshift.pipeline.freshness").tag("pipeline", p)
                .description("source commit to lake commit of each change applied")
                .serviceLevelObjectives(FRESHNESS_BUCKETS).register(registry));
    }

    /** Milliseconds as seconds; no data (-1) as NaN, which Prometheus shows as no value rather than a latency. */
    private static double seconds(long ms) {
        return ms < 0 ? Double.NaN : ms / 1000.0;
    }

    /** A trigger's progress: the pipeline's Kafka lag by partition, a gauge for each partition first seen. */
    void kafkaLag(String pipeline, Map<Integer, Long> lag) {
        PipelineMetrics m = metrics.get(pipeline);
        if (m == null) {
            return;
        }
        for (int partition : m.recordKafkaLag(lag)) {
            Gauge.builder("lakeshift.pipeline.kafka.lag.records", m, x -> x.kafkaLag(partition)).tag("pipeline", pipeline)
                    .tag("partition", Integer.toString(partition))
                    .description("records in Kafka the pipeline has not read yet, as of its last trigger").register(registry);
        }
    }

    /** Where the Prometheus endpoint listens, or null when it is off. */
    InetSocketAddress metricsAddress() {
        return endpoint.address();
    }

    String scrape() {
        return registry.scrape();
    }

    /** Marks one pipeline failed with its error; the job's other pipelines go on. */
    void failed(String pipeline, String error) {
        states.put(pipeline, "FAILED");
        errors.put(pipeline, error == null ? "failed" : error);
        report();
    }

    /** The pipelines not running, each with its state and error: {@code /ready}. */
    List<String> notRunning() {
        List<String> out = new java.util.ArrayList<>();
        for (String pipeline : metrics.keySet()) {
            String state = states.getOrDefault(pipeline, "RUNNING");
            if (!"RUNNING".equals(state)) {
                out.add("pipeline " + pipeline + " is " + state + (errors.containsKey(pipeline) ? ": " + errors.get(pipeline) : ""));
            }
        }
        return out;
    }

    boolean hasFailed(String pipeline) {
        return "FAILED".equals(states.get(pipeline));
    }

    /** Writes every pipeline's status file. */
    synchronized void report() { // batches, the failure listener and close report from their own threads
        long now = System.currentTimeMillis();
        for (PipelineMetrics m : metrics.values()) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("job", job);
            // this pipeline's own changes over the last five minutes, not the job's
            details.put("freshnessP50Ms", Long.toString(m.freshness().percentile(0.5)));
            details.put("freshnessP99Ms", Long.toString(m.freshness().percentile(0.99)));
            // and every pipeline of this job together, what the demo reports
            details.put("jobFreshnessP50Ms", Long.toString(freshness.percentile(0.5)));
            details.put("jobFreshnessP99Ms", Long.toString(freshness.percentile(0.99)));
            details.put("jobFreshnessMaxMs", Long.toString(freshness.max()));
            details.put("inputRowsPerSecond", String.format("%.0f", m.inputRowsPerSecond()));
            details.put("lastBatchMs", Long.toString(m.lastBatchMs()));
            if (m.applyPath() != null) {
                details.put("applyPath", m.applyPath());
            }
            if (m.lastCommitMs() > 0) {
                details.put("lastCommitAgeMs", Long.toString(now - m.lastCommitMs()));
            }
            String error = errors.get(m.pipeline());
            if (error != null) {
                details.put("lastError", error);
            }
            files.write(new ComponentStatus(m.pipeline(), "apply", states.getOrDefault(m.pipeline(), "RUNNING"), ProcessHandle.current().pid(), now,
                    Map.of("recordsIn", m.recordsIn(), "rowsApplied", m.rowsApplied(), "deadLetters", m.deadLetters(),
                            "batches", m.batches()), details));
        }
    }

    private void reportQuietly() {
        try {
            report();
        } catch (RuntimeException e) {
            LOG.warn("Job {}: cannot write the pipelines' status: {}", job, e.getMessage());
        }
    }

    @Override
    public void close() {
        beat.shutdownNow();
        for (String pipeline : metrics.keySet()) {
            if (!hasFailed(pipeline)) {
                states.put(pipeline, "STOPPED");
            }
        }
        report();
        endpoint.close();
    }
}
