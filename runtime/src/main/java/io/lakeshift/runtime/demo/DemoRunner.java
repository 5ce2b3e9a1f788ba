package io.lakeshift.runtime.demo;

import io.lakeshift.batch.DailyRevenueJob;
import io.lakeshift.batch.TableComparator;
import io.lakeshift.batch.TableComparison;
import io.lakeshift.runtime.stack.EmbeddedPostgresServer;
import io.lakeshift.runtime.UpRuntime;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.jdbc.SourceConnections;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.lakehouse.SparkSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lakeshift up} on a seeded embedded PostgreSQL, plus a workload and a final check: the
 * same runtime as {@code up} (broker, ingestion, apply job as supervised child processes), with a
 * legacy database started and seeded first, the source changed for a while, a batch mart written on
 * top of the lake, and every lake table compared with its source once the lake has caught up.
 *
 * <p>Everything it starts is closed by {@link #close()}, in reverse order, also on Ctrl-C.
 */
public final class DemoRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);
    private static final String MARKER = ".lakeshift-demo";
    private static final String MART = "marts.daily_revenue";
    private static final Duration CATCH_UP = Duration.ofMinutes(5);

    private final PrintStream out;
    private final Path configFile;
    private final List<String> overrides;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private LakeshiftConfig config;
    private long t0;
    private boolean closed;

    public DemoRunner(LakeshiftConfig config, PrintStream out) {
        this(config, null, List.of(), out);
    }

    /**
     * @param configFile the file the configuration came from, or null (the parts load it again)
     * @param overrides the overrides it was loaded with (handed to the parts)
     */
    public DemoRunner(LakeshiftConfig config, Path configFile, List<String> overrides, PrintStream out) {
        this.config = config;
        this.configFile = configFile;
        this.overrides = List.copyOf(overrides);
        this.out = out;
    }

    public DemoReport run() throws Exception {
        t0 = System.currentTimeMillis();
        SourceConfig source = config.sources().get(0);
        prepareDataDir(config.dataDir());
        List<String> partOverrides = new ArrayList<>(overrides);
        if (source.embedded()) {
            EmbeddedPostgresServer pg = register(EmbeddedPostgresServer.start(config.dataDir().resolve("postgres")));
            pg.createDatabase(source.database(), source.username(), source.password().reveal());
            source = source.withServer(pg.host(), pg.port(), source.username(), source.password());
            config = config.withSource(source);
            partOverrides.add("sources[0].host=" + pg.host());
            partOverrides.add("sources[0].port=" + pg.port());
            progress("legacy PostgreSQL started on " + pg.host() + ":" + pg.port() + " (wal_level=logical)");
        }
        try (Connection c = connect(source)) {
            RetailSchema.create(c);
            RetailSchema.seed(c, config.demo().customers(), config.demo().orders(), new Random(config.demo().seed()));
        }
        progress("seeded " + config.demo().customers() + " customers and " + config.demo().orders() + " orders");

        UpRuntime runtime = register(new UpRuntime(config, configFile, partOverrides, out, t0));
        runtime.start();
        config = runtime.config();
        CountDownLatch stopSupervising = new CountDownLatch(1);
        Thread supervisor = new Thread(() -> {
            try {
                runtime.supervise(stopSupervising);
            } catch (Exception e) {
                LOG.warn("Supervising the demo's parts failed", e);
            }
        }, "lakeshift-demo-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
        started.push(stopSupervising::countDown);

        SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-demo")).getOrCreate();
        started.push(spark::stop);
        List<PipelineConfig> pipelines = config.pipelinesOf(source.name());
        TableComparator comparator = new TableComparator(spark, source.jdbcUrl(),
                SourceConnections.options(source));

        long applied = awaitLakeEqualsSource(comparator, pipelines).stream().mapToLong(TableComparison::lakeRows).sum();
        progress("initial snapshot applied: " + applied + " rows in the lake");

        Duration duration = Duration.ofSeconds(config.demo().durationSeconds());
        RetailWorkload workload;
        try (Connection c = connect(source)) {
            workload = new RetailWorkload(c, new Random(config.demo().seed() + 1), duration, config.demo().changesPerSecond());
            runWorkload(workload);
        }
        List<TableComparison> tables = new ArrayList<>(awaitLakeEqualsSource(comparator, pipelines));
        Freshness freshness = freshness();
        progress("the lake has caught up: every table equals its source");

        long martRows = DailyRevenueJob.run(spark, config.catalog().name(), source.name(), MART);
        progress("batch job wrote " + martRows + " rows of daily revenue per customer to " + MART);
        // The same aggregate, computed by the source database itself.
        String revenueInSource = "(" + DailyRevenueJob.revenueQuery(RetailSchema.SCHEMA + ".orders",
                RetailSchema.SCHEMA + ".order_lines") + ") revenue";
        tables.add(comparator.compare(MART, comparator.source(revenueInSource), config.catalog().name() + "." + MART));
        return new DemoReport(tables, freshness.p50(), freshness.max(), workload.inserts(), workload.updates(),
                workload.deletes());
    }

    private void runWorkload(RetailWorkload workload) throws InterruptedException {
        Thread thread = new Thread(workload, "lakeshift-demo-workload");
        Throwable[] failure = new Throwable[1];
        thread.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        thread.start();
        progress("workload running for " + config.demo().durationSeconds() + " s at "
                + config.demo().changesPerSecond() + " transactions/s");
        while (thread.isAlive()) {
            thread.join(5_000);
            long events = statuses("sources").stream().mapToLong(s -> s.counters().getOrDefault("events", 0L)).sum();
            List<ComponentStatus> pipes = statuses("pipelines");
            long rows = pipes.stream().mapToLong(s -> s.counters().getOrDefault("rowsApplied", 0L)).sum();
            String p50 = pipes.isEmpty() ? "-" : pipes.get(0).details().getOrDefault("jobFreshnessP50Ms", "-");
            progress(String.format("source: %s | cdc: %,d events | lake: %,d changes applied, freshness p50 %s ms",
                    workload, events, rows, p50));
            for (ComponentStatus p : pipes) {
                if ("FAILED".equals(p.state())) {
                    workload.stop();
                    throw new IllegalStateException("pipeline " + p.name() + " failed: " + p.details().get("lastError"));
                }
            }
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0].getMessage(), failure[0]);
        }
    }

    /**
     * Waits until every pipeline's lake table equals its source table. The workload has stopped, so
     * the source no longer changes: once equal, the lake holds every committed change.
     */
    private List<TableComparison> awaitLakeEqualsSource(TableComparator comparator, List<PipelineConfig> pipelines)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + CATCH_UP.toMillis();
        List<TableComparison> last = List.of();
        while (System.currentTimeMillis() < deadline) {
            try {
                last = new ArrayList<>();
                for (PipelineConfig p : pipelines) {
                    last.add(comparator.compare(p.table(), comparator.source(p.table()),
                            config.catalog().name() + "." + p.target()));
                }
                if (last.stream().allMatch(TableComparison::matches)) {
                    return last;
                }
            } catch (RuntimeException e) {
                LOG.info("Lake not comparable yet: {}", e.getMessage());
            }
            for (ComponentStatus p : statuses("pipelines")) {
                if ("FAILED".equals(p.state())) {
                    throw new IllegalStateException("pipeline " + p.name() + " failed: " + p.details().get("lastError"));
                }
            }
            Thread.sleep(2_000);
        }
        if (last.isEmpty()) {
            throw new IllegalStateException("the lake could not be read within " + CATCH_UP.toMinutes() + " minutes; see "
                    + config.dataDir().resolve("logs"));
        }
        return last;
    }

    private record Freshness(long p50, long max) {
    }

    private Freshness freshness() {
        List<ComponentStatus> pipes = statuses("pipelines");
        if (pipes.isEmpty()) {
            return new Freshness(-1, -1);
        }
        Map<String, String> d = pipes.get(0).details();
        long p50 = Long.parseLong(d.getOrDefault("jobFreshnessP50Ms", "-1"));
        long max = Long.parseLong(d.getOrDefault("jobFreshnessMaxMs", "-1"));
        return new Freshness(p50, max);
    }

    private List<ComponentStatus> statuses(String group) {
        return new StatusFiles(config.dataDir(), group).readAll().stream().filter(s -> s.updatedAtMs() >= t0).toList();
    }

    private Connection connect(SourceConfig source) throws SQLException {
        return SourceConnections.open(source);
    }

    /**
     * The demo starts from an empty state every run: its embedded database is new, so offsets,
     * checkpoints and tables from a previous run would not match it. It only empties a folder it
     * created itself.
     */
    private void prepareDataDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean ours = Files.exists(dir.resolve(MARKER));
            try (Stream<Path> entries = Files.list(dir)) {
                List<Path> content = entries.filter(e -> !e.getFileName().toString().equals("logs")
                        && !e.getFileName().toString().equals(MARKER)).toList();
                if (!content.isEmpty() && !ours) {
                    throw new IllegalStateException("data folder " + dir + " is not empty and was not created by"
                            + " 'lakeshift demo'; choose another with --data-dir");
                }
                for (Path entry : content) {
                    deleteRecursively(entry);
                }
                if (!content.isEmpty()) {
                    out.println("demo: cleared the previous run's state in " + dir);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "created by lakeshift demo\n");
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private <T extends AutoCloseable> T register(T resource) {
        started.push(resource);
        return resource;
    }

    private void progress(String message) {
        out.printf("[%6.1fs] %s%n", (System.currentTimeMillis() - t0) / 1000.0, message);
        out.flush();
        LOG.info("demo: {}", message);
    }

    /** Stops everything the demo started, newest first; safe to call twice (Ctrl-C and normal exit). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed", resource, e);
            }
        }
    }
}
