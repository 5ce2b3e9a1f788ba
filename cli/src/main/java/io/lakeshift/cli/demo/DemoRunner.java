package io.lakeshift.cli.demo;

import io.lakeshift.batch.DailyRevenueJob;
import io.lakeshift.batch.TableComparator;
import io.lakeshift.batch.TableComparison;
import io.lakeshift.cli.stack.EmbeddedKafkaBroker;
import io.lakeshift.cli.stack.EmbeddedPostgresServer;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.TopicNames;
import io.lakeshift.ingestion.CdcSource;
import io.lakeshift.ingestion.TopicProvisioner;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.lakehouse.TableBootstrap;
import io.lakeshift.streaming.PipelineMetrics;
import io.lakeshift.streaming.RunningApply;
import io.lakeshift.streaming.StreamingApplyJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The walking skeleton end to end: a legacy PostgreSQL changing under a workload, captured by
 * Debezium into Kafka, applied by the Spark streaming job to Iceberg, then a batch mart on top,
 * and every lakehouse table compared with its source at the same source position.
 *
 * <p>Everything it starts is closed by {@link #close()}, in reverse order, also on Ctrl-C.
 */
public final class DemoRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);
    private static final String MARKER = ".lakeshift-demo";
    private static final String MART = "marts.daily_revenue";
    private static final Duration CATCH_UP = Duration.ofMinutes(5);

    private final PrintStream out;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private LakeshiftConfig config;
    private boolean closed;

    public DemoRunner(LakeshiftConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public DemoReport run() throws Exception {
        long t0 = System.currentTimeMillis();
        SourceConfig source = config.sources().get(0);
        prepareDataDir(config.dataDir());

        if (source.embedded()) {
            EmbeddedPostgresServer pg = register(EmbeddedPostgresServer.start(config.dataDir().resolve("postgres")));
            pg.createDatabase(source.database(), source.username(), source.password().reveal());
            source = source.withServer(pg.host(), pg.port(), source.username(), source.password());
            config = config.withSource(source);
            progress(t0, "legacy PostgreSQL started on " + pg.host() + ":" + pg.port() + " (wal_level=logical)");
        }
        try (Connection c = connect(source)) {
            RetailSchema.create(c);
            RetailSchema.seed(c, config.demo().customers(), config.demo().orders(), new Random(config.demo().seed()));
        }
        progress(t0, "seeded " + config.demo().customers() + " customers and " + config.demo().orders() + " orders");

        if (config.kafka().embedded()) {
            EmbeddedKafkaBroker broker = register(EmbeddedKafkaBroker.start(config.dataDir().resolve("kafka")));
            config = config.withKafka(config.kafka().withBootstrapServers(broker.bootstrapServers()));
            progress(t0, "Kafka broker (KRaft) started at " + broker.bootstrapServers());
        }
        List<PipelineConfig> pipelines = config.pipelinesOf(source.name());
        List<String> topics = new ArrayList<>();
        for (PipelineConfig p : pipelines) {
            String topic = TopicNames.changes(config.kafka().topicPrefix(), source.name(), p.sourceSchema(), p.sourceTable());
            topics.add(topic);
            topics.add(TopicNames.deadLetters(topic));
        }
        TopicProvisioner.ensure(config.kafka(), topics);
        bootstrapTables(source, pipelines);
        progress(t0, "Iceberg tables created in catalog '" + config.catalog().name() + "' at " + config.catalog().warehouse());

        Map<String, List<String>> keys = new HashMap<>();
        pipelines.stream().filter(p -> !p.key().isEmpty()).forEach(p -> keys.put(p.table(), p.key()));
        CdcSource cdc = register(new CdcSource(source, config.kafka(), config.dataDir().resolve("offsets"), keys));
        cdc.start();
        progress(t0, "Debezium capturing " + source.tables() + " (snapshot, then streaming)");

        SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-demo")).getOrCreate();
        started.push(spark::stop);
        RunningApply apply = register(StreamingApplyJob.start(spark, config, source.name(), StreamingApplyJob.Mode.CONTINUOUS));
        progress(t0, "Spark streaming job applying changes to Iceberg (upserts by key, " + config.spark().triggerIntervalMs() + " ms trigger)");

        // Let the snapshot land first, so freshness measures streaming, not the initial load.
        awaitLakeCaughtUp(source, cdc, apply);
        progress(t0, "initial snapshot applied: " + applied(apply) + " rows in the lake");

        Duration duration = Duration.ofSeconds(config.demo().durationSeconds());
        RetailWorkload workload;
        try (Connection c = connect(source)) {
            workload = new RetailWorkload(c, new Random(config.demo().seed() + 1), duration, config.demo().changesPerSecond());
            runWorkload(t0, workload, cdc, apply);
        }

        String watermark = awaitLakeCaughtUp(source, cdc, apply);
        progress(t0, "CDC captured every committed change (watermark " + watermark.substring(0, 8) + ")");
        long p50 = apply.freshness().percentile(0.5);
        long max = apply.freshness().max();
        progress(t0, "the lake has caught up: " + applied(apply) + " changes applied");
        apply.close();
        started.remove(apply);

        long martRows = DailyRevenueJob.run(spark, config.catalog().name(), source.name(), MART);
        progress(t0, "batch job wrote " + martRows + " rows of daily revenue per customer to " + MART);

        List<TableComparison> tables = compare(spark, source, pipelines);
        return new DemoReport(tables, p50, max, workload.inserts(), workload.updates(), workload.deletes());
    }

    private void runWorkload(long t0, RetailWorkload workload, CdcSource cdc, RunningApply apply) throws InterruptedException {
        Thread thread = new Thread(workload, "lakeshift-demo-workload");
        Throwable[] failure = new Throwable[1];
        thread.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        thread.start();
        progress(t0, "workload running for " + config.demo().durationSeconds() + " s at "
                + config.demo().changesPerSecond() + " transactions/s");
        while (thread.isAlive()) {
            thread.join(5_000);
            var status = cdc.status();
            long p50 = apply.freshness().percentile(0.5);
            progress(t0, String.format("source: %s | cdc: %,d events, %s | lake: %,d changes applied%s",
                    workload, status.eventsCaptured(), status.state().name().toLowerCase(), applied(apply),
                    p50 < 0 ? "" : String.format(", freshness p50 %,d ms", p50)));
            if (apply.query().exception().isDefined()) {
                workload.stop();
                throw new IllegalStateException("streaming job failed: " + apply.query().exception().get().getMessage());
            }
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0].getMessage(), failure[0]);
        }
    }

    /**
     * Waits until the lake holds every change committed in the source so far: a watermark written
     * now is captured only after all earlier commits, and the apply job then reaches Kafka's end.
     */
    private String awaitLakeCaughtUp(SourceConfig source, CdcSource cdc, RunningApply apply) throws Exception {
        String watermark = cdc.watermark(CATCH_UP);
        apply.awaitCaughtUp(CATCH_UP);
        return watermark;
    }

    private static long applied(RunningApply apply) {
        return apply.metrics().values().stream().mapToLong(PipelineMetrics::rowsApplied).sum();
    }

    private void bootstrapTables(SourceConfig source, List<PipelineConfig> pipelines) throws Exception {
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        try (Connection c = connect(source)) {
            TableBootstrap bootstrap = new TableBootstrap(catalog);
            for (PipelineConfig p : pipelines) {
                bootstrap.ensureTable(p.target(), SourceTable.read(c, p.sourceSchema(), p.sourceTable()), p.key(), true);
            }
        } finally {
            if (catalog instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private List<TableComparison> compare(SparkSession spark, SourceConfig source, List<PipelineConfig> pipelines) {
        TableComparator comparator = new TableComparator(spark, source.jdbcUrl(),
                Map.of("user", source.username(), "password", source.password().reveal()));
        List<TableComparison> results = new ArrayList<>();
        for (PipelineConfig p : pipelines) {
            results.add(comparator.compare(p.table(), comparator.source(p.table()),
                    config.catalog().name() + "." + p.target()));
        }
        // The same aggregate, computed by the source database itself.
        String revenueInSource = "(" + DailyRevenueJob.revenueQuery(RetailSchema.SCHEMA + ".orders",
                RetailSchema.SCHEMA + ".order_lines") + ") revenue";
        results.add(comparator.compare(MART, comparator.source(revenueInSource), config.catalog().name() + "." + MART));
        return results;
    }

    private Connection connect(SourceConfig source) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", source.username());
        props.setProperty("password", source.password().reveal());
        return DriverManager.getConnection(source.jdbcUrl(), props);
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

    private void progress(long t0, String message) {
        out.printf("[%5.1fs] %s%n", (System.currentTimeMillis() - t0) / 1000.0, message);
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
