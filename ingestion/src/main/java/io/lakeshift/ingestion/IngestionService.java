package io.lakeshift.ingestion;

import io.lakeshift.core.config.IngestionConfig;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.MetricsConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.TopicNames;
import io.lakeshift.core.metrics.MetricsEndpoint;
import io.lakeshift.core.status.StatusFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingestion service: every CDC source of a configuration captured into Kafka by one process,
 * one Debezium engine per source. Each source's status (state, events, last position, lag) is
 * written every {@code metrics.statusIntervalMs} under {@code <dataDir>/status/sources/<name>.json}, where
 * {@code lakeshift sources status} reads it. A source that fails is restarted from its stored
 * offsets with backoff (RETRYING, with the cause in its status) and reported FAILED when it has
 * not recovered within {@code ingestion.giveUpAfterMs}, or at once when its offsets file is
 * unreadable; {@link #gaveUp()} lists those, for the process to exit with an error.
 *
 * <p>{@link #close()} is the graceful shutdown: each engine finishes its batch in flight (written to
 * Kafka and acknowledged), commits its offsets and stops; the final status says STOPPED.
 */
public final class IngestionService implements AutoCloseable {

    /** How often status files are written. */
    public static final Duration STATUS_INTERVAL = Duration.ofSeconds(2);
    /** How often this service writes its sources' status: {@code metrics.statusIntervalMs}, or {@link #STATUS_INTERVAL}. */
    private Duration statusInterval = STATUS_INTERVAL;
    /** How often replication lag is measured on each source. */
    public static final Duration LAG_INTERVAL = Duration.ofSeconds(10);
    /** The status group sources write to. */
    public static final String STATUS_GROUP = "sources";

    private static final Logger LOG = LoggerFactory.getLogger(IngestionService.class);

    private final KafkaConfig kafka;
    private final Path dataDir;
    private final Map<String, CdcSource> sources = new LinkedHashMap<>();
    private final List<SourceConfig> configs;
    private final StatusFiles statusFiles;
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lakeshift-ingestion-status");
        t.setDaemon(true);
        return t;
    });
    private final long pid = ProcessHandle.current().pid();
    /** {@code metrics.*} of the configuration; null for a service built without one (tools, tests): no endpoint. */
    private MetricsConfig metricsConfig;
    private MetricsEndpoint metrics;
    private long lastLagProbe;
    private boolean closed;

    /** Every CDC source of the configuration; keys of keyless tables from its pipelines. */
    public IngestionService(LakeshiftConfig config) {
        this(config.sources().stream().filter(SourceConfig::cdc).toList(), config.kafka(), config.dataDir(), keysOf(config),
                config.ingestion());
        reportingTo(config.metrics());
    }

    /**
     * Reports as {@code metrics.*} says: the status files every {@code statusIntervalMs}, and the
     * Prometheus endpoint when {@code prometheusPort} is set. Call before {@link #start()}.
     */
    public IngestionService reportingTo(MetricsConfig metrics) {
        this.metricsConfig = metrics;
        return statusEvery(Duration.ofMillis(metrics.statusIntervalMs()));
    }

    /** Writes the sources' status this often ({@code metrics.statusIntervalMs}); call before {@link #start()}. */
    public IngestionService statusEvery(Duration interval) {
        this.statusInterval = interval;
        return this;
    }

    /** As {@link #IngestionService(List, KafkaConfig, Path, Map, IngestionConfig)} with the default restart settings. */
    public IngestionService(List<SourceConfig> sources, KafkaConfig kafka, Path dataDir,
            Map<String, Map<String, List<String>>> keysBySource) {
        this(sources, kafka, dataDir, keysBySource, IngestionConfig.DEFAULTS);
    }

    /**
     * @param sources the sources to capture (CDC kinds only)
     * @param kafka where events go
     * @param dataDir the data folder: offsets under {@code offsets/}, status under {@code status/}
     * @param keysBySource per source, key columns by {@code schema.table} for tables without a primary key
     * @param ingestion how failing sources are restarted and when they are given up
     */
    public IngestionService(List<SourceConfig> sources, KafkaConfig kafka, Path dataDir,
            Map<String, Map<String, List<String>>> keysBySource, IngestionConfig ingestion) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no CDC source (postgres, mysql, mariadb) to capture in the configuration");
        }
        this.kafka = kafka;
        this.dataDir = dataDir;
        this.configs = List.copyOf(sources);
        this.statusFiles = new StatusFiles(dataDir, STATUS_GROUP);
        for (SourceConfig source : sources) {
            if (!source.cdc()) {
                throw new IllegalArgumentException("source '" + source.name() + "' of kind " + source.kind()
                        + " is not a CDC source");
            }
            this.sources.put(source.name(), new CdcSource(source, kafka, offsetsDir(dataDir),
                    keysBySource.getOrDefault(source.name(), Map.of()), ingestion));
        }
    }

    /** Where sources keep their offsets (and binlog sources their schema history). */
    public static Path offsetsDir(Path dataDir) {
        return dataDir.resolve("offsets");
    }

    /** Key columns of keyless tables, per source, from the pipelines that set a {@code key}. */
    public static Map<String, Map<String, List<String>>> keysOf(LakeshiftConfig config) {
        Map<String, Map<String, List<String>>> keys = new HashMap<>();
        for (PipelineConfig p : config.pipelines()) {
            if (!p.key().isEmpty()) {
                keys.computeIfAbsent(p.source(), s -> new HashMap<>()).put(p.table(), p.key());
            }
        }
        return keys;
    }

    /** The change and dead-letter topics of a source's tables. */
    public static List<String> topicsOf(SourceConfig source, KafkaConfig kafka) {
        List<String> topics = new ArrayList<>();
        for (String table : source.tables()) {
            int dot = table.indexOf('.');
            String topic = TopicNames.changes(source.topicPrefixOr(kafka.topicPrefix()), source.name(),
                    table.substring(0, dot), table.substring(dot + 1));
            topics.add(topic);
            topics.add(TopicNames.deadLetters(topic));
        }
        return topics;
    }

    /** Creates missing topics, starts every source and the status reporter. */
    public void start() throws InterruptedException {
        List<String> topics = new ArrayList<>();
        configs.forEach(s -> topics.addAll(topicsOf(s, kafka)));
        io.lakeshift.kafka.TopicProvisioner.ensure(kafka, topics);
        for (CdcSource source : sources.values()) {
            source.start();
        }
        reporter.scheduleWithFixedDelay(this::report, 0, statusInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (metricsConfig != null) {
            metrics = MetricsEndpoint.start(metricsConfig, "ingest").readiness(this::notCapturing);
            sources.values().forEach(s -> CaptureMetrics.bind(metrics.registry(), s));
        }
        LOG.info("Ingestion service running {} source(s): {}", sources.size(), sources.keySet());
    }

    public CdcSource source(String name) {
        CdcSource source = sources.get(name);
        if (source == null) {
            throw new IllegalArgumentException("no source '" + name + "' in this service; sources: " + sources.keySet());
        }
        return source;
    }

    /** Where the Prometheus endpoint listens ({@code metrics.prometheusPort}), or null when it is off. */
    public java.net.InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    /** The sources not snapshotting or streaming, each with its state (and error): {@code /ready}. */
    List<String> notCapturing() {
        List<String> out = new ArrayList<>();
        for (SourceStatus s : status()) {
            if (s.state() != SourceState.SNAPSHOTTING && s.state() != SourceState.STREAMING) {
                out.add("source " + s.name() + " is " + s.state() + (s.error() == null ? "" : ": " + s.error()));
            }
        }
        return out;
    }

    public List<SourceStatus> status() {
        return sources.values().stream().map(CdcSource::status).toList();
    }

    /**
     * The sources that failed for good while the service runs: still failing after
     * {@code ingestion.giveUpAfterMs} of restarts, or with an unreadable offsets file. Their error
     * says why. A process running the service should stop and exit with an error when this is not
     * empty, so that its supervisor (or an operator) notices.
     */
    public List<SourceStatus> gaveUp() {
        return status().stream().filter(s -> s.state() == SourceState.FAILED).toList();
    }

    /** Completes when every source has ended (stopped or failed). */
    public CompletableFuture<Void> allEnded() {
        return CompletableFuture.allOf(sources.values().stream().map(CdcSource::ended).toArray(CompletableFuture[]::new));
    }

    private void report() {
        try {
            long now = System.currentTimeMillis();
            if (now - lastLagProbe >= LAG_INTERVAL.toMillis()) {
                lastLagProbe = now;
                sources.values().forEach(CdcSource::probeLag);
            }
            writeStatus();
        } catch (RuntimeException e) {
            LOG.warn("Writing source status under {} failed: {}", dataDir, e.getMessage());
        }
    }

    private void writeStatus() {
        long now = System.currentTimeMillis();
        for (CdcSource source : sources.values()) {
            statusFiles.write(source.status().toComponentStatus(pid, now));
        }
    }

    /** Graceful shutdown: every engine acknowledges its batch in flight, commits offsets and stops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        reporter.shutdownNow();
        try {
            reporter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Thread> stopping = new ArrayList<>();
        for (CdcSource source : sources.values()) {
            Thread t = new Thread(source::close, "lakeshift-stop-" + source.name());
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            writeStatus();
        } catch (RuntimeException e) {
            LOG.warn("Writing the final source status failed: {}", e.getMessage());
        }
        if (metrics != null) {
            metrics.close();
        }
        LOG.info("Ingestion service stopped: offsets committed for {}", sources.keySet());
    }
}
