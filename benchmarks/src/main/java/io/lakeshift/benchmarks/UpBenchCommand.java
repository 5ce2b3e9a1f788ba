package io.lakeshift.benchmarks;

import io.lakeshift.batch.TableComparator;
import io.lakeshift.batch.TableComparison;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedPostgresServer;
import io.lakeshift.runtime.UpRuntime;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.lakehouse.SparkSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lakeshift bench up}: the main job on a fresh data folder against an embedded PostgreSQL
 * holding three tables: the time from start until every table is queryable in the lake with the
 * source's row count (then checked equal on every column), and the freshness of changes made at a
 * steady rate afterwards, as the apply job measures it (source commit to lake commit).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Benchmark of 'lakeshift up': initial load of an embedded PostgreSQL with three tables",
            "(customers, orders, order_lines) into the lake, then freshness at a steady change rate.",
            "Figures go to <data-dir>/bench/up.txt. Last line:",
            "bench up: rows=<n> initial_load_s=<n> rows_per_s=<n> freshness_p50_ms=<n> freshness_p99_ms=<n>"})
public final class UpBenchCommand implements Callable<Integer> {

    private static final String USER = "bench";
    private static final String PASSWORD = "bench";

    @Mixin
    CommonOptions common;

    @Option(names = "--rows", defaultValue = "1000000",
            description = "Rows in the three tables together (1 : 4 : 5). Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(names = "--rate", defaultValue = "2000", description = "Changes per second of the freshness run. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--seconds", defaultValue = "60", description = "Length of the freshness run. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig base = common.load();
        Path work = base.dataDir().resolve("bench").resolve("up-work");
        StreamBenchCommand.deleteRecursively(work);
        Files.createDirectories(work);
        BenchReport report = new BenchReport("up", System.out);
        long customers = rows / 10;
        long orders = rows * 4 / 10;
        long lines = rows - customers - orders;
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(work.resolve("source"))) {
            pg.createDatabase("shop", USER, PASSWORD);
            try (Connection c = pg.connect("shop", USER)) {
                seed(c, customers, orders, lines);
            }
            report.line(String.format(Locale.ROOT, "source: customers %,d, orders %,d, order_lines %,d rows", customers, orders, lines));
            Path yaml = work.resolve("bench-up.yaml");
            Files.writeString(yaml, String.join("\n",
                    "sources:",
                    "  - {name: shop, kind: postgres, host: 127.0.0.1, port: " + pg.port() + ", database: shop, username: " + USER
                            + ", password: " + PASSWORD + ",",
                    "     tables: [shop.customers, shop.orders, shop.order_lines],",
                    "     properties: {snapshot.fetch.size: '10240', max.batch.size: '8192', max.queue.size: '32768'}}",
                    "spark: {shufflePartitions: 4, triggerIntervalMs: 500}",
                    ""), StandardCharsets.UTF_8);
            Path dataDir = work.resolve("data");
            LakeshiftConfig config = ConfigLoader.load(yaml, dataDir, List.of());
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            long t0 = System.nanoTime();
            try (UpRuntime runtime = new UpRuntime(config, yaml, List.of(), quiet)) {
                runtime.start();
                CountDownLatch stop = new CountDownLatch(1);
                Thread supervisor = new Thread(() -> {
                    try {
                        runtime.supervise(stop);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "lakeshift-bench-up-supervisor");
                supervisor.setDaemon(true);
                supervisor.start();
                SparkSession spark = SparkSession.builder().config(SparkSettings.of(runtime.config(), "lakeshift-bench-up"))
                        .getOrCreate();
                try {
                    Map<String, Long> expected = Map.of("shop.customers", customers, "shop.orders", orders, "shop.order_lines", lines);
                    awaitCounts(spark, expected, dataDir);
                    double loadSeconds = (System.nanoTime() - t0) / 1e9;
                    report.line(String.format(Locale.ROOT, "initial load: %,d rows queryable in the lake %.1f s after start (%,.0f rows/s)",
                            rows, loadSeconds, rows / loadSeconds));
                    TableComparator comparator = new TableComparator(spark, pg.jdbcUrl("shop"), Map.of("user", USER, "password", PASSWORD));
                    for (String t : expected.keySet().stream().sorted().toList()) {
                        TableComparison cmp = comparator.compare(t, comparator.source(t), "lakeshift." + t);
                        report.line("  " + cmp.summaryLine());
                        if (!cmp.matches()) {
                            throw new IllegalStateException("the lake differs from the source after the initial load: " + cmp.summaryLine());
                        }
                    }
                    try (Connection c = pg.connect("shop", USER)) {
                        long changes = workload(c, orders);
                        report.line(String.format(Locale.ROOT, "workload: %,d updates of orders in %d s (%d/s asked)", changes, seconds, rate));
                    }
                    long[] freshness = awaitFreshness(dataDir, orders);
                    report.line(String.format(Locale.ROOT, "freshness of streamed changes (source commit to lake commit): p50 %,d ms, p99 %,d ms",
                            freshness[0], freshness[1]));
                    stop.countDown();
                    report.line("machine: " + Runtime.getRuntime().availableProcessors() + " cores; run on an idle machine for figures to quote");
                    report.finish(base.dataDir(), String.format(Locale.ROOT,
                            "bench up: rows=%d initial_load_s=%.1f rows_per_s=%.0f freshness_p50_ms=%d freshness_p99_ms=%d",
                            rows, loadSeconds, rows / loadSeconds, freshness[0], freshness[1]));
                } finally {
                    spark.stop();
                }
            }
        }
        return 0;
    }

    private static void seed(Connection c, long customers, long orders, long lines) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA shop");
            st.execute("CREATE TABLE shop.customers (customer_id bigint PRIMARY KEY, name text NOT NULL, email text,"
                    + " created_at timestamptz NOT NULL)");
            st.execute("CREATE TABLE shop.orders (order_id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,"
                    + " amount numeric(12,2) NOT NULL, placed_at timestamp NOT NULL)");
            st.execute("CREATE TABLE shop.order_lines (order_id bigint NOT NULL, line_no int NOT NULL, sku text NOT NULL,"
                    + " quantity int NOT NULL, price numeric(10,2) NOT NULL, PRIMARY KEY (order_id, line_no))");
            st.execute("INSERT INTO shop.customers SELECT g, 'customer ' || g, 'c' || g || '@example.com',"
                    + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute' FROM generate_series(1, " + customers + ") g");
            st.execute("INSERT INTO shop.orders SELECT g, 1 + g % " + Math.max(1, customers) + ", 'NEW', (g % 1000) + 0.5,"
                    + " timestamp '2024-01-01 00:00:00' + g * interval '1 second' FROM generate_series(1, " + orders + ") g");
            st.execute("INSERT INTO shop.order_lines SELECT 1 + (g - 1) % " + Math.max(1, orders) + ", (g - 1) / " + Math.max(1, orders)
                    + ", 'SKU-' || (g % 5000), 1 + g % 7, (g % 300) + 0.99 FROM generate_series(1, " + lines + ") g");
            st.execute("ANALYZE");
        }
    }

    /** Updates orders at {@link #rate} per second for {@link #seconds}, in transactions of a tenth of a second's changes. */
    private long workload(Connection c, long orders) throws Exception {
        c.setAutoCommit(false);
        long done = 0;
        int perTick = Math.max(1, rate / 10);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE shop.orders SET status = 'PAID', amount = amount + 1 WHERE order_id = ?")) {
            long tick = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < perTick; i++) {
                    update.setLong(1, 1 + Math.floorMod((done + i) * 7919L, orders));
                    update.addBatch();
                }
                update.executeBatch();
                c.commit();
                done += perTick;
                tick++;
                long due = start + tick * 100_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        return done;
    }

    private static void awaitCounts(SparkSession spark, Map<String, Long> expected, Path dataDir) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30 * 60_000L;
        while (System.currentTimeMillis() < deadline) {
            boolean all = true;
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                try {
                    spark.sql("REFRESH TABLE lakeshift." + e.getKey());
                    long n = spark.sql("SELECT count(*) FROM lakeshift." + e.getKey()).first().getLong(0);
                    all &= n == e.getValue();
                } catch (RuntimeException notYet) {
                    all = false;
                }
                if (!all) {
                    break;
                }
            }
            if (all) {
                return;
            }
            failIfAPipelineFailed(dataDir);
            Thread.sleep(500);
        }
        throw new IllegalStateException("the initial load did not finish within 30 minutes; see " + dataDir.resolve("logs"));
    }

    /** Waits until the apply job has applied the workload, then reads its freshness percentiles. */
    private static long[] awaitFreshness(Path dataDir, long orders) throws InterruptedException {
        StatusFiles pipelines = new StatusFiles(dataDir, "pipelines");
        long previous = -1;
        int stableRounds = 0;
        long deadline = System.currentTimeMillis() + 10 * 60_000L;
        while (System.currentTimeMillis() < deadline && stableRounds < 6) {
            failIfAPipelineFailed(dataDir);
            long applied = pipelines.readAll().stream().mapToLong(s -> s.counters().getOrDefault("rowsApplied", 0L)).sum();
            stableRounds = applied == previous ? stableRounds + 1 : 0;
            previous = applied;
            Thread.sleep(1_000);
        }
        ComponentStatus orderPipeline = pipelines.readAll().stream().filter(s -> s.name().equals("shop.orders")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no status of pipeline shop.orders"));
        return new long[] {Long.parseLong(orderPipeline.details().getOrDefault("freshnessP50Ms", "-1")),
            Long.parseLong(orderPipeline.details().getOrDefault("freshnessP99Ms", "-1"))};
    }

    private static void failIfAPipelineFailed(Path dataDir) {
        for (ComponentStatus s : new StatusFiles(dataDir, "pipelines").readAll()) {
            if ("FAILED".equals(s.state())) {
                throw new IllegalStateException("pipeline " + s.name() + " failed: " + s.details().get("lastError"));
            }
        }
    }
}
