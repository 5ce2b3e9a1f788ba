package io.lakeshift.benchmarks;

import io.lakeshift.batch.DailyRevenueJob;
import io.lakeshift.batch.FullReloadJob;
import io.lakeshift.batch.MaintenanceReport;
import io.lakeshift.batch.TableComparator;
import io.lakeshift.batch.TableComparison;
import io.lakeshift.batch.TableMaintenance;
import io.lakeshift.runtime.stack.EmbeddedKafkaBroker;
import io.lakeshift.runtime.stack.EmbeddedPostgresServer;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.jdbc.SourceConnections;
import io.lakeshift.core.envelope.TopicNames;
import io.lakeshift.ingestion.CdcSource;
import io.lakeshift.kafka.TopicProvisioner;
import io.lakeshift.lakehouse.CatalogRuntime;
import io.lakeshift.lakehouse.HealthThresholds;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.MaintenanceSettings;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.lakehouse.TableBootstrap;
import io.lakeshift.lakehouse.TableHealth;
import io.lakeshift.streaming.RunningApply;
import io.lakeshift.streaming.StreamingApplyJob;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark at one table size on a private embedded stack: seed, (a) the legacy path, change a
 * fixed number of orders, (b) the incremental path, verify both against the source; then, when
 * asked, a maintenance pass after many small commits. Everything it starts is closed by
 * {@link #close()}, newest first.
 */
final class IncrementalBenchRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalBenchRun.class);
    private static final String MART = "marts.daily_revenue";
    private static final Duration CATCH_UP = Duration.ofMinutes(10);

    private final Path work;
    private final PrintStream out;
    private final long orders;
    private final long changedOrders;
    private final boolean recentChanges;
    private final int smallCommits;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final long t0 = System.currentTimeMillis();
    private LakeshiftConfig config;
    private SparkSession spark;
    /** Change events CDC had captured when the incremental path last caught up. */
    private long capturedByLastRun;

    IncrementalBenchRun(LakeshiftConfig operator, Path work, PrintStream out, long orders, long changedOrders,
            boolean recentChanges, long clusterRows, int smallCommits) {
        this.work = work;
        this.out = out;
        this.orders = orders;
        this.changedOrders = changedOrders;
        this.recentChanges = recentChanges;
        this.smallCommits = smallCommits;
        this.config = IncrementalBenchConfig.of(operator, work, clusterRows);
    }

    IncrementalBenchResult.Size run() throws Exception {
        EmbeddedPostgresServer pg = register(EmbeddedPostgresServer.start(work.resolve("postgres")));
        SourceConfig source = config.sources().get(0);
        pg.createDatabase(source.database(), source.username(), source.password().reveal());
        source = source.withServer(pg.host(), pg.port(), source.username(), source.password());
        config = config.withSource(source);
        try (Connection c = connect(source)) {
            IncrementalWorkload.create(c, orders);
        }
        progress(String.format("source seeded: %,d orders, %,d customers (PostgreSQL %s:%d)", orders, IncrementalWorkload.CUSTOMERS,
                pg.host(), pg.port()));

        EmbeddedKafkaBroker broker = register(EmbeddedKafkaBroker.start(work.resolve("kafka")));
        config = config.withKafka(config.kafka().withBootstrapServers(broker.bootstrapServers()));
        List<String> topics = new ArrayList<>();
        for (PipelineConfig p : config.pipelinesOf(source.name())) {
            String topic = TopicNames.changes(config.kafka().topicPrefix(), source.name(), p.sourceSchema(), p.sourceTable());
            topics.add(topic);
            topics.add(TopicNames.deadLetters(topic));
        }
        TopicProvisioner.ensure(config.kafka(), topics);

        CatalogRuntime catalogRuntime = register(CatalogRuntime.start(config));
        config = catalogRuntime.config();
        bootstrapTables(source);
        prepareCapture(source);
        progress("Kafka, catalog, tables, publication and replication slot ready");

        SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-bench-incremental")).getOrCreate();
        started.push(spark::stop);
        this.spark = spark;
        String catalog = config.catalog().name();

        // Each path runs once untimed first, so that both are timed as they run day after day, not
        // while the JVM compiles their code for the first time.
        legacyPath(spark, catalog, source, new ArrayList<>());
        progress("(a) ran once untimed (warm-up)");
        List<String> fullSteps = new ArrayList<>();
        long a0 = System.nanoTime();
        legacyPath(spark, catalog, source, fullSteps);
        double fullSeconds = seconds(a0);
        progress(String.format(Locale.ROOT, "(a) legacy full reload + full mart: %.1f s", fullSeconds));

        // CDC runs as the ingestion service does: all the time, capturing changes as they commit.
        CdcSource cdc = register(new CdcSource(source, config.kafka(), work.resolve("offsets"), Map.of()));
        cdc.start();
        try (Connection c = connect(source)) {
            IncrementalWorkload.warmUp(c, orders);
        }
        incrementalPath(spark, catalog, cdc, new ArrayList<>());
        progress("(b) ran once untimed on a few changes (warm-up)");

        long changed;
        try (Connection c = connect(source)) {
            changed = IncrementalWorkload.change(c, orders, changedOrders, recentChanges);
        }
        // (b) the incremental path, from the moment the change is committed in the source: CDC
        // captures its tail, streaming applies available-now, the mart follows.
        List<String> incrementalSteps = new ArrayList<>();
        long b0 = System.nanoTime();
        incrementalPath(spark, catalog, cdc, incrementalSteps);
        double incrementalSeconds = seconds(b0);
        progress(String.format(Locale.ROOT, "changed %,d of %,d orders in the source (%.2f%%, %s)", changed, orders,
                100.0 * changed / orders,
                recentChanges ? "updates and deletes among the newest orders" : "spread over the whole table"));
        progress(String.format(Locale.ROOT, "(b) CDC + streaming available-now + incremental mart: %.1f s", incrementalSeconds));

        String verification = verify(spark, source, catalog);
        progress("verified: " + verification);

        return new IncrementalBenchResult.Size(orders, changed, fullSeconds, incrementalSeconds, fullSteps, incrementalSteps,
                verification);
    }

    /** (a) the legacy path: reload every table from the source, recompute the mart in full. */
    private void legacyPath(SparkSession spark, String catalog, SourceConfig source, List<String> steps) throws SQLException {
        for (PipelineConfig p : config.pipelinesOf(source.name())) {
            long s = System.nanoTime();
            FullReloadJob.Result r = FullReloadJob.run(spark, config, p, FullReloadJob.Options.defaults());
            steps.add(step("full reload " + p.target() + String.format(Locale.ROOT, " (%,d rows, %d partitions)", r.rows(),
                    r.partitions()), s));
        }
        long s = System.nanoTime();
        DailyRevenueJob.Run fullMart = DailyRevenueJob.run(spark, catalog, source.name(), MART, DailyRevenueJob.Mode.FULL);
        steps.add(step(String.format(Locale.ROOT, "mart recomputed in full (%,d rows)", fullMart.rows()), s));
    }

    /** (b) the incremental path: CDC catches up to a watermark, streaming applies available-now, the mart follows. */
    private void incrementalPath(SparkSession spark, String catalog, CdcSource cdc, List<String> steps) throws Exception {
        long s = System.nanoTime();
        String watermark = cdc.watermark(CATCH_UP);
        long captured = cdc.status().eventsCaptured();
        steps.add(step(String.format(Locale.ROOT, "CDC caught up (%,d change events since the last run, watermark %s)",
                captured - capturedByLastRun, watermark.substring(0, 8)), s));
        capturedByLastRun = captured;
        s = System.nanoTime();
        try (RunningApply apply = StreamingApplyJob.start(spark, config, source().name(), StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            // every pipeline's query, not only the first: the step's time and count are the whole apply's
            apply.awaitTermination();
            long applied = apply.metrics().values().stream().mapToLong(m -> m.rowsApplied()).sum();
            steps.add(step(String.format(Locale.ROOT, "streaming apply, available-now (%,d changes applied)", applied), s));
        }
        s = System.nanoTime();
        DailyRevenueJob.Run mart = DailyRevenueJob.run(spark, catalog, source().name(), MART, DailyRevenueJob.Mode.INCREMENTAL);
        steps.add(step(String.format(Locale.ROOT, "mart %s (%,d groups recomputed, %,d rows scanned for changes%s)",
                mart.mode(), mart.recomputedGroups(), mart.changedRows(),
                mart.fallbackReason() == null ? "" : "; full because " + mart.fallbackReason())
                + (mart.steps().isEmpty() ? "" : ": " + mart.steps()), s));
    }

    private SourceConfig source() {
        return config.sources().get(0);
    }

    /** One maintenance pass after {@code smallCommits} small streaming commits, on this run's stack (after {@link #run()}). */
    IncrementalBenchResult.Maintenance maintenance() {
        String catalog = config.catalog().name();
        String table = "bench.stream_events";
        Catalog iceberg = IcebergCatalogs.open(config.catalog());
        long before;
        try {
            long w0 = System.nanoTime();
            Table t = IncrementalSmallCommits.write(iceberg, table, smallCommits);
            progress(String.format(Locale.ROOT, "%,d small streaming commits written to %s in %.1f s", smallCommits, table, seconds(w0)));
            TableHealth health = TableHealth.of(table, t, HealthThresholds.defaults(), Clock.systemUTC());
            before = health.dataFiles() + health.deleteFiles();
        } finally {
            IcebergCatalogs.close(iceberg);
        }
        long m0 = System.nanoTime();
        MaintenanceReport report = new TableMaintenance(spark, catalog).run(table, MaintenanceSettings.defaults());
        double maintenanceSeconds = seconds(m0);
        long after = report.dataFilesAfter() + report.deleteFilesAfter();
        progress(String.format(Locale.ROOT, "maintenance pass: %.1f s, files %,d -> %,d", maintenanceSeconds, before, after));
        return new IncrementalBenchResult.Maintenance(smallCommits, before, after, maintenanceSeconds, report.summaryLine());
    }

    /** Every lake table equals its source row for row; the mart equals the aggregate PostgreSQL computes. */
    private String verify(SparkSession spark, SourceConfig source, String catalog) {
        TableComparator comparator = new TableComparator(spark, source.jdbcUrl(),
                SourceConnections.options(source));
        List<String> parts = new ArrayList<>();
        boolean ok = true;
        for (String t : List.of("orders", "order_lines")) {
            TableComparison c = comparator.compare(t, comparator.source("retail." + t), catalog + "." + source.name() + "." + t);
            parts.add(c.summaryLine());
            ok &= c.matches();
        }
        TableComparison m = comparator.compare(MART, comparator.source("(" + DailyRevenueJob.revenueQuery("retail.orders",
                "retail.order_lines") + ") revenue"), catalog + "." + MART);
        parts.add(m.summaryLine());
        ok &= m.matches();
        if (!ok) {
            throw new IllegalStateException("the lake does not match the source after the incremental path: " + parts);
        }
        return String.join("; ", parts);
    }

    /** The publication and replication slot CDC uses, created now: every change from here on is captured. */
    private static void prepareCapture(SourceConfig source) throws SQLException {
        try (Connection c = connect(source); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE PUBLICATION " + source.slotName() + " FOR TABLE " + String.join(", ", source.tables()));
            st.execute("SELECT pg_create_logical_replication_slot('" + source.slotName() + "', 'pgoutput')");
        }
    }

    private void bootstrapTables(SourceConfig source) throws SQLException {
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        try (Connection c = connect(source)) {
            TableBootstrap bootstrap = new TableBootstrap(catalog);
            for (PipelineConfig p : config.pipelinesOf(source.name())) {
                bootstrap.ensureTable(p, SourceTable.read(c, p.sourceSchema(), p.sourceTable()), config.catalog().lowerCaseNames());
            }
        } finally {
            IcebergCatalogs.close(catalog);
        }
    }

    private static Connection connect(SourceConfig source) throws SQLException {
        return SourceConnections.open(source);
    }

    private String step(String what, long startNanos) {
        String line = String.format(Locale.ROOT, "%6.1f s  %s", seconds(startNanos), what);
        LOG.info("bench step: {}", line);
        return line;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void progress(String message) {
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.currentTimeMillis() - t0) / 1000.0, message);
        out.flush();
        LOG.info("bench: {}", message);
    }

    private <T extends AutoCloseable> T register(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public void close() {
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
