package io.lakeshift.benchmarks;

import static org.apache.spark.sql.functions.col;

import io.lakeshift.batch.TableComparator;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedKafkaAddress;
import io.lakeshift.runtime.stack.EmbeddedPostgresServer;
import io.lakeshift.runtime.stack.LakeTableProvisioner;
import io.lakeshift.runtime.Part;
import io.lakeshift.runtime.PartLauncher;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.envelope.TopicNames;
import io.lakeshift.kafka.TopicProvisioner;
import io.lakeshift.lakehouse.CatalogRuntime;
import io.lakeshift.lakehouse.LakeshiftColumns;
import io.lakeshift.lakehouse.SparkSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lakeshift bench chaos}: the whole system under crashes. An embedded PostgreSQL changed at a
 * steady rate; the Kafka broker, the ingestion service and the apply job each in its own process;
 * {@code kill -9} of one of them (of those {@code --victims} names) at random moments of the workload
 * (drawn from {@code --seed}), each started again after a short random pause. At the end every lake table must equal its source on every
 * column and every changelog must hold each source change exactly once.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Kills the broker, ingestion and the apply job with kill -9 at random moments of a workload",
            "(three tables: inserts, updates moving rows between partitions, deletes, one ADD COLUMN), restarts",
            "them, then checks every table and changelog against the source. Figures and the kill schedule go",
            "to <data-dir>/bench/chaos.txt; --seed replays a schedule; --victims limits the kills to some parts. Last line:",
            "bench chaos: kills=<n> changes=<n> lost=<n> extra=<n> differing=<n> changelog_dupes=<n> changelog_missing=<n>"})
public final class ChaosBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--seed", description = "Seed of the workload and the kill schedule (default: a random one, printed).")
    Long seed;

    @Option(names = "--changes", defaultValue = "200000", description = "Source changes of the workload. Default: ${DEFAULT-VALUE}.")
    long changes;

    @Option(names = "--rate", defaultValue = "1500", description = "Source changes per second. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--kills", defaultValue = "20", description = "kill -9s during the workload. Default: ${DEFAULT-VALUE}.")
    int kills;

    @Option(names = "--rows", defaultValue = "2000", description = "Rows per table before the workload. Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--victims", paramLabel = "PART", split = ",", defaultValue = "broker,ingest,apply",
            description = "Parts that may be killed, comma-separated: broker, ingest, apply. Default: ${DEFAULT-VALUE}.")
    List<String> victimNames;

    @Override
    public Integer call() throws Exception {
        ChaosVictims victims;
        try {
            victims = ChaosVictims.parse(victimNames);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (changes < 100 || rate < 1 || kills < 0 || rows < 100) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--changes must be at least 100, --rate at least 1, --kills 0 or more, --rows at least 100");
        }
        LakeshiftConfig base = common.load();
        long theSeed = seed != null ? seed : new Random().nextLong();
        Random random = new Random(theSeed);
        Path work = base.dataDir().resolve("bench").resolve("chaos-work");
        StreamBenchCommand.deleteRecursively(work);
        Files.createDirectories(work);
        BenchReport report = new BenchReport("chaos", System.out);
        report.line("seed " + theSeed + " (replay with --seed " + theSeed + "), " + changes + " changes at " + rate + "/s, "
                + kills + " kills of " + victims);
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(work.resolve("source"))) {
            pg.createDatabase("chaos", "chaos", "chaos");
            Connection workloadConnection = pg.connect("chaos", "chaos");
            ChaosWorkload workload = new ChaosWorkload(workloadConnection, new Random(random.nextLong()), changes, rate);
            Map<String, Long> snapshot = workload.create(rows);
            Path yaml = writeConfig(work, pg.port());
            Path dataDir = work.resolve("data");
            LakeshiftConfig config = ConfigLoader.load(yaml, dataDir, List.of());
            try (CatalogRuntime catalog = CatalogRuntime.start(config)) {
                config = catalog.config();
                PartLauncher launcher = new PartLauncher(yaml, dataDir, List.of());
                Part broker = new Part("broker", "768m", List.of("broker"));
                Part ingest = new Part("ingest", "1g", List.of("ingest"));
                Part apply = new Part("apply", "3g", List.of("pipelines", "run", "--source", "chaos"));
                List<Part> parts = List.of(broker, ingest, apply);
                try {
                    broker.start(launcher);
                    config = config.withKafka(config.kafka().withBootstrapServers(awaitBroker(dataDir)));
                    TopicProvisioner.ensure(config.kafka(), topics(config));
                    LakeTableProvisioner.ensure(config, config.pipelines());
                    ingest.start(launcher);
                    apply.start(launcher);
                    awaitSnapshot(dataDir, snapshot);
                    report.line("snapshot of " + rows + " rows per table captured; workload and kills start");

                    Thread writer = new Thread(workload, "lakeshift-chaos-workload");
                    writer.start();
                    KillSchedule schedule = killDuringWorkload(workload, parts, victims.of(parts), launcher, random);
                    writer.join();
                    schedule.lines().forEach(report::line);
                    for (Part p : parts) {
                        if (!p.alive()) {
                            p.start(launcher);
                        }
                    }
                    report.line(String.format(Locale.ROOT, "workload done: %,d changes %s", workload.done(), workload.committed()));
                    ChaosResult result = verify(config, pg, snapshot, workload.committed(), report, parts, launcher);
                    report.finish(base.dataDir(), String.format(Locale.ROOT,
                            "bench chaos: kills=%d changes=%d lost=%d extra=%d differing=%d changelog_dupes=%d changelog_missing=%d",
                            schedule.kills(), workload.done(), result.lost, result.extra, result.differing, result.dupes, result.missing));
                    return result.clean() ? 0 : 1;
                } finally {
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        parts.get(i).stop(Duration.ofSeconds(60));
                    }
                    workloadConnection.close();
                }
            }
        }
    }

    /** What happened to the parts during the workload: the kills, and parts that exited by themselves. */
    private record KillSchedule(List<String> lines, int kills) {
    }

    /** kill -9 of a random victim at random moments of the workload, each started again after 0.2-2 s. */
    private KillSchedule killDuringWorkload(ChaosWorkload workload, List<Part> parts, List<Part> victims, PartLauncher launcher,
            Random random) throws Exception {
        long[] at = new long[kills];
        for (int i = 0; i < kills; i++) {
            at[i] = (long) (changes * (0.02 + 0.93 * random.nextDouble()));
        }
        Arrays.sort(at);
        List<String> schedule = new ArrayList<>();
        long t0 = System.nanoTime();
        int next = 0;
        while (!workload.finished()) {
            for (Part p : parts) {
                if (!p.alive()) {
                    schedule.add(String.format(Locale.ROOT, "  t=%6.1fs %s had exited by itself: started again",
                            (System.nanoTime() - t0) / 1e9, p.name()));
                    p.start(launcher);
                }
            }
            if (next < at.length && workload.done() >= at[next]) {
                Part victim = victims.get(random.nextInt(victims.size()));
                long pause = 200 + random.nextInt(1800);
                long pid = victim.pid();
                victim.kill();
                schedule.add(String.format(Locale.ROOT, "  kill %2d at change %,9d (t=%6.1fs): kill -9 %s (pid %d), started again after %d ms",
                        next + 1, at[next], (System.nanoTime() - t0) / 1e9, victim.name(), pid, pause));
                Thread.sleep(pause);
                victim.start(launcher);
                next++;
            }
            Thread.sleep(50);
        }
        return new KillSchedule(schedule, next);
    }

    private record ChaosResult(long lost, long extra, long differing, long dupes, long missing) {
        boolean clean() {
            return lost == 0 && extra == 0 && differing == 0 && dupes == 0 && missing == 0;
        }
    }

    /**
     * Waits for the lake to equal the source and for every changelog to hold as many changes as the source
     * made (the apply job commits a batch's changelog beside its MERGE, so a table can be current a moment
     * before its changelog is), then counts what differs and what the changelogs hold.
     */
    private ChaosResult verify(LakeshiftConfig config, EmbeddedPostgresServer pg, Map<String, Long> snapshot,
            Map<String, Long> committed, BenchReport report, List<Part> parts, PartLauncher launcher) throws Exception {
        SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-bench-chaos")).getOrCreate();
        try {
            TableComparator comparator = new TableComparator(spark, pg.jdbcUrl("chaos"), Map.of("user", "chaos", "password", "chaos"));
            long deadline = System.currentTimeMillis() + 20 * 60_000L;
            boolean equal = false;
            while (!equal && System.currentTimeMillis() < deadline) {
                for (Part p : parts) {
                    if (!p.alive()) {
                        // as 'lakeshift up' does: a part that ended (an apply job stopping to be restarted) starts again
                        report.line("  " + p.name() + " had exited: started again");
                        p.start(launcher);
                    }
                }
                try {
                    equal = ChaosWorkload.TABLES.stream().allMatch(t -> comparator.compare(t, comparator.source(t), "lakeshift." + t).matches()
                            && changelog(spark, t).getLong(1) >= snapshot.get(t) + committed.getOrDefault(t, 0L));
                } catch (RuntimeException notYet) {
                    equal = false;
                }
                if (!equal) {
                    Thread.sleep(3_000);
                }
            }
            report.line(equal ? "the lake caught up with the source" : "the lake (tables and changelogs) did NOT catch up within 20 minutes");
            long lost = 0;
            long extra = 0;
            long differing = 0;
            long dupes = 0;
            long missing = 0;
            for (String t : ChaosWorkload.TABLES) {
                Dataset<Row> source = comparator.source(t).cache();
                spark.sql("REFRESH TABLE lakeshift." + t);
                Dataset<Row> lake = spark.table("lakeshift." + t).select(aligned(source)).cache();
                long tLost = source.join(lake, source.col("id").equalTo(lake.col("id")), "left_anti").count();
                long tExtra = lake.join(source, lake.col("id").equalTo(source.col("id")), "left_anti").count();
                long tDiffering = source.exceptAll(lake).count() - tLost;
                Row c = changelog(spark, t);
                long expected = snapshot.get(t) + committed.getOrDefault(t, 0L);
                long tDupes = c.getLong(0) - c.getLong(1);
                long tMissing = Math.max(0, expected - c.getLong(1));
                report.line(String.format(Locale.ROOT, "%s: lost %d, extra %d, differing %d; changelog %,d rows, %,d distinct changes,"
                        + " %,d expected (dupes %d, missing %d)", t, tLost, tExtra, tDiffering, c.getLong(0), c.getLong(1), expected,
                        tDupes, tMissing));
                lost += tLost;
                extra += tExtra;
                differing += tDiffering;
                dupes += tDupes;
                missing += tMissing;
                source.unpersist();
                lake.unpersist();
            }
            return new ChaosResult(lost, extra, differing, dupes, missing);
        } finally {
            spark.stop();
        }
    }

    /** The changelog's rows and distinct changes (source position and key). */
    private static Row changelog(SparkSession spark, String table) {
        spark.sql("REFRESH TABLE lakeshift." + table + "__changelog");
        return spark.sql("SELECT count(*), count(DISTINCT " + LakeshiftColumns.SEQ_HI + ", " + LakeshiftColumns.SEQ_LO
                + ", id) FROM lakeshift." + table + "__changelog").first();
    }

    private static Column[] aligned(Dataset<Row> source) {
        return Arrays.stream(source.schema().fields())
                .map(f -> col("`" + f.name() + "`").cast(f.dataType()).as(f.name()))
                .toArray(Column[]::new);
    }

    private Path writeConfig(Path work, int port) throws Exception {
        Path yaml = work.resolve("chaos.yaml");
        Files.writeString(yaml, String.join("\n",
                "sources:",
                "  - {name: chaos, kind: postgres, host: 127.0.0.1, port: " + port + ", database: chaos, username: chaos,"
                        + " password: chaos, tables: [chaos.accounts, chaos.orders, chaos.events]}",
                "pipelines:",
                "  - {name: chaos.accounts, source: chaos, table: chaos.accounts, target: chaos.accounts, partitionBy: [region]}",
                "  - {name: chaos.orders, source: chaos, table: chaos.orders, target: chaos.orders}",
                "  - {name: chaos.events, source: chaos, table: chaos.events, target: chaos.events}",
                "spark: {shufflePartitions: 2, triggerIntervalMs: 500}",
                "ingestion: {retryMaxBackoffMs: 5000}",
                ""), StandardCharsets.UTF_8);
        return yaml;
    }

    private static List<String> topics(LakeshiftConfig config) {
        List<String> topics = new ArrayList<>();
        for (PipelineConfig p : config.pipelines()) {
            String topic = TopicNames.changes(config.kafka().topicPrefix(), p.source(), p.sourceSchema(), p.sourceTable());
            topics.add(topic);
            topics.add(TopicNames.deadLetters(topic));
        }
        return topics;
    }

    private static String awaitBroker(Path dataDir) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            var address = EmbeddedKafkaAddress.running(dataDir);
            if (address.isPresent()) {
                return address.get();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the broker did not start within 2 minutes; see " + dataDir.resolve("logs/broker.log"));
    }

    private static void awaitSnapshot(Path dataDir, Map<String, Long> snapshot) throws InterruptedException {
        long total = snapshot.values().stream().mapToLong(Long::longValue).sum();
        var sources = new io.lakeshift.core.status.StatusFiles(dataDir, "sources");
        long deadline = System.currentTimeMillis() + 10 * 60_000L;
        while (System.currentTimeMillis() < deadline) {
            boolean streaming = sources.readAll().stream().anyMatch(s -> "STREAMING".equals(s.state())
                    && s.counters().getOrDefault("events", 0L) >= total);
            if (streaming) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the snapshot was not captured within 10 minutes; see " + dataDir.resolve("logs"));
    }
}
