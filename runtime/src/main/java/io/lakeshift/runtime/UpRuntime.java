package io.lakeshift.runtime;

import io.lakeshift.runtime.stack.EmbeddedKafkaAddress;
import io.lakeshift.runtime.stack.LakeTableProvisioner;
import io.lakeshift.core.config.ConsoleConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.TopicNames;
import io.lakeshift.kafka.TopicProvisioner;
import io.lakeshift.lakehouse.CatalogRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime {@code lakeshift up} runs: whatever the configuration declares, as supervised child
 * processes sharing one data folder. In order: the embedded catalog database (when
 * {@code catalog.uri: embedded}, run by this process), the Kafka broker (when
 * {@code kafka.bootstrapServers: embedded}), the topics and every missing lake table, then the
 * ingestion service (CDC sources), the Camel routes (file, JDBC-polling and JMS sources) and one apply
 * job per source. A part that exits is started again with backoff; {@link #close()} stops them in
 * reverse order, each given time to finish its batch in flight. Everything resumes from its own
 * offsets, checkpoints and lake commits when started again.
 */
public final class UpRuntime implements AutoCloseable {

    /** How long a part may keep failing without one stable run before {@code up} gives up. */
    public static final Duration GIVE_UP_AFTER = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(UpRuntime.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final long ROUND_MS = 1_000;

    private final PartLauncher launcher;
    private final PrintStream out;
    private final List<Part> parts = new ArrayList<>();
    private final long startedAt;
    private final UpProgress progress;
    private LakeshiftConfig config;
    private CatalogRuntime catalog;
    private FileChannel lockChannel;
    private FileLock lock;
    private boolean closed;

    /**
     * @param config the loaded configuration
     * @param configFile the file it was loaded from (given to every part), or null for the defaults
     * @param overrides the {@code --set} overrides it was loaded with (handed to every part in its environment)
     */
    public UpRuntime(LakeshiftConfig config, Path configFile, List<String> overrides, PrintStream out) {
        this(config, configFile, overrides, out, System.currentTimeMillis());
    }

    /** @param startedAt the time progress lines count from (a caller's own start) */
    public UpRuntime(LakeshiftConfig config, Path configFile, List<String> overrides, PrintStream out, long startedAt) {
        this.startedAt = startedAt;
        this.config = config;
        this.launcher = new PartLauncher(configFile, config.dataDir(), overrides);
        this.out = out;
        this.progress = new UpProgress(config.dataDir(), out, startedAt);
    }

    /** Starts every part; returns once they are launched (snapshots may still be running). */
    public void start() throws Exception {
        checkSources();
        DataFolder.prepare(config.dataDir());
        lockDataFolder();
        catalog = CatalogRuntime.start(config);
        config = catalog.config();
        progress.line("catalog '" + config.catalog().name() + "': " + describeCatalog());

        if (config.kafka().embedded()) {
            Part broker = new Part("broker", "768m", List.of("broker"));
            broker.start(launcher);
            parts.add(broker);
            String address = awaitBroker(broker);
            config = config.withKafka(config.kafka().withBootstrapServers(address));
            progress.line("Kafka broker (KRaft) at " + address + ", data in " + EmbeddedKafkaAddress.brokerDir(config.dataDir()));
        } else {
            progress.line("Kafka at " + config.kafka().bootstrapServers());
        }
        TopicProvisioner.ensure(config.kafka(), topics());
        for (String created : LakeTableProvisioner.ensure(config, config.pipelines())) {
            progress.line("created lake table " + created + " from its source's schema");
        }
        MetricsPorts ports = new MetricsPorts(config.metrics());
        if (config.sources().stream().anyMatch(SourceConfig::cdc)) {
            start(new Part("ingest", "1g", ports.command("ingest", List.of("ingest"))));
        }
        if (config.sources().stream().anyMatch(s -> !s.cdc())) {
            start(new Part("routes", "768m", ports.command("routes", List.of("routes", "run"))));
        }
        for (SourceConfig s : config.sources()) {
            if (!config.pipelinesOf(s.name()).isEmpty()) {
                String name = "apply-" + s.name();
                start(new Part(name, "3g", ports.command(name, List.of("pipelines", "run", "--source", s.name()))));
            }
        }
        if (!ports.assigned().isEmpty()) {
            progress.line("Prometheus metrics: " + ports.describe());
        }
        startConsole();
        progress.line("running " + parts.stream().map(Part::name).toList() + "; logs in "
                + config.dataDir().resolve("logs") + "; stop with Ctrl-C or SIGTERM");
    }

    /**
     * The console, unless turned off or its port is taken: the console is for people, so a port
     * another process holds is said once instead of failing {@code up} (which would restart it for
     * fifteen minutes and then give up on everything).
     */
    private void startConsole() throws IOException {
        ConsoleConfig console = config.console();
        if (!console.enabled()) {
            return;
        }
        if (console.port() > 0) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(console.bindAddress(), console.port()));
            } catch (IOException taken) {
                progress.line("console not started: " + console.bindAddress() + ":" + console.port() + " is taken ("
                        + taken.getMessage() + "); set console.port to a free port, or 0 for any");
                return;
            }
        }
        start(new Part("console", "384m", List.of("console"), false));
        String host = console.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : console.bindAddress();
        progress.line(console.port() > 0 ? "console at http://" + host + ":" + console.port() + "/"
                : "console on a free port: its address is in " + config.dataDir().resolve("logs/console.log"));
    }

    private void start(Part part) throws IOException {
        part.start(launcher);
        parts.add(part);
    }

    /**
     * Supervises the parts until {@code stop} is released: restarts those that exit and reports
     * progress.
     *
     * @return false when a part kept failing for {@link #GIVE_UP_AFTER} and {@code up} gave up
     */
    public boolean supervise(CountDownLatch stop) throws Exception {
        while (!stop.await(ROUND_MS, TimeUnit.MILLISECONDS)) {
            long now = System.currentTimeMillis();
            for (Part part : parts) {
                String event = part.supervise(launcher, now);
                if (event != null) {
                    progress.line(event);
                }
                if (part.essential() && part.failingForMs(now) > GIVE_UP_AFTER.toMillis()) {
                    progress.line(part.name() + " has kept failing for " + GIVE_UP_AFTER.toMinutes()
                            + " minutes (last exit code " + part.lastExit() + "); giving up");
                    return false;
                }
            }
            progress.report(now);
        }
        return true;
    }

    /** The configuration as the parts see it: Kafka and the catalog resolved to their addresses. */
    public LakeshiftConfig config() {
        return config;
    }

    /** The names of the running parts, in start order. */
    public List<String> partNames() {
        return parts.stream().map(Part::name).toList();
    }

    private List<String> topics() {
        List<String> topics = new ArrayList<>();
        for (PipelineConfig p : config.pipelines()) {
            SourceConfig s = config.source(p.source()).orElseThrow();
            String topic = TopicNames.changes(s.topicPrefixOr(config.kafka().topicPrefix()), s.name(), p.sourceSchema(),
                    p.sourceTable());
            topics.add(topic);
            topics.add(TopicNames.deadLetters(topic));
        }
        return topics;
    }

    private String awaitBroker(Part broker) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<String> address = EmbeddedKafkaAddress.running(config.dataDir());
            if (address.isPresent()) {
                return address.get();
            }
            if (!broker.alive()) {
                throw new IllegalStateException("the embedded Kafka broker exited while starting; see "
                        + config.dataDir().resolve("logs/broker.log"));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the embedded Kafka broker did not start within 2 minutes; see "
                + config.dataDir().resolve("logs/broker.log"));
    }

    private void checkSources() {
        if (config.sources().isEmpty()) {
            throw new IllegalArgumentException("no source is declared: add one under 'sources' (see README,"
                    + " 'Point Lakeshift at your database')");
        }
        for (SourceConfig s : config.sources()) {
            if (s.cdc() && s.embedded()) {
                throw new IllegalArgumentException("source '" + s.name() + "' has host 'embedded', the demo's own database,"
                        + " which only 'lakeshift demo' starts; point it at your database (host, port, database,"
                        + " username, password) or run 'lakeshift demo'");
            }
        }
    }

    private String describeCatalog() {
        return config.catalog().type() + " " + (config.catalog().uri() == null ? "" : config.catalog().uri())
                + ", warehouse " + config.catalog().warehouse();
    }

    /** One {@code up} per data folder: two would run two brokers and apply every change twice. */
    private void lockDataFolder() throws IOException {
        Path file = config.dataDir().resolve("up.lock");
        lockChannel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("another 'lakeshift up' runs on " + config.dataDir()
                    + "; stop it first or choose another --data-dir");
        }
    }

    /** Stops every part, newest first (apply jobs, routes, ingestion, then the broker), then the catalog database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = parts.size() - 1; i >= 0; i--) {
            Part part = parts.get(i);
            if (part.alive()) {
                progress.line("stopping " + part.name());
            }
            part.stop(STOP_GRACE);
        }
        if (catalog != null) {
            try {
                catalog.close();
            } catch (Exception e) {
                LOG.warn("Stopping the embedded catalog database failed", e);
            }
        }
        try {
            if (lock != null) {
                lock.release();
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("Releasing {} failed", config.dataDir().resolve("up.lock"), e);
        }
        progress.line("stopped");
    }
}
