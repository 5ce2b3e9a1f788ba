package io.lakeshift.benchmarks;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedKafkaBroker;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.envelope.SourceInfo;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.lakehouse.TableBootstrap;
import io.lakeshift.streaming.RunningApply;
import io.lakeshift.streaming.StreamingApplyJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lakeshift bench stream}: (1) apply throughput from a pre-filled topic of upserts over a
 * key space, available-now, changelog keeping every event; (2) freshness in continuous mode at a
 * steady change rate. Embedded Kafka, local Spark, Iceberg under the data folder.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"Streaming apply benchmark: throughput (available-now over a pre-filled topic) and",
            "freshness (continuous, steady rate). Last line:",
            "bench stream: apply_rows_per_s=<n> freshness_p50_ms=<n> freshness_p99_ms=<n>"})
public final class StreamBenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--records", defaultValue = "1000000", description = "Upserts in the pre-filled topic. Default: ${DEFAULT-VALUE}.")
    int records;

    @Option(names = "--keys", defaultValue = "100000", description = "Distinct keys they touch. Default: ${DEFAULT-VALUE}.")
    int keys;

    // One batch for the whole backlog: each batch MERGEs into the whole table, so fewer, larger
    // batches apply a backlog fastest (200,000 per batch took 1.6 times as long here).
    @Option(names = "--batch", defaultValue = "1000000", description = "maxOffsetsPerTrigger of the throughput run. Default: ${DEFAULT-VALUE}.")
    long batch;

    @Option(names = "--rate", defaultValue = "5000", description = "Changes per second of the freshness run. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--seconds", defaultValue = "60", description = "Measured length of the freshness run. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--trigger-ms", defaultValue = "500", description = "Trigger interval of the freshness run. Default: ${DEFAULT-VALUE}.")
    long triggerMs;

    @Option(names = "--warm-up", defaultValue = "200000",
            description = "Upserts applied to another table before the throughput run, not timed (0: none). Default: ${DEFAULT-VALUE}.")
    int warmUp;

    @Option(names = "--write-mode", defaultValue = "merge-on-read", description = "merge-on-read or copy-on-write. Default: ${DEFAULT-VALUE}.")
    String writeMode;

    private static final List<Column> COLUMNS = List.of(new Column("id", LogicalType.INT64, false),
            new Column("name", LogicalType.STRING, true), new Column("amount", LogicalType.decimal(12, 2), true),
            new Column("updated_at", LogicalType.TIMESTAMPTZ, true));

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig base = common.load();
        Path work = base.dataDir().resolve("bench").resolve("stream-work");
        deleteRecursively(work);
        Files.createDirectories(work);
        BenchReport report = new BenchReport("stream", System.out);
        String summary;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"))) {
            Path yaml = work.resolve("bench.yaml");
            Files.writeString(yaml, """
                    kafka: {bootstrapServers: "%s", topicPrefix: bench}
                    sources:
                      - {name: bulk, kind: postgres, host: db, port: 5432, database: bench, username: u, tables: [bench.accounts], snapshotMode: initial}
                      - {name: live, kind: postgres, host: db, port: 5432, database: bench, username: u, tables: [bench.accounts], snapshotMode: initial}
                      - {name: warm, kind: postgres, host: db, port: 5432, database: bench, username: u, tables: [bench.accounts], snapshotMode: initial}
                    pipelines:
                      - {name: bulk.accounts, source: bulk, table: bench.accounts, target: bulk.accounts, stage: STREAMING, writeMode: %s}
                      - {name: live.accounts, source: live, table: bench.accounts, target: live.accounts, stage: STREAMING, writeMode: %s}
                      - {name: warm.accounts, source: warm, table: bench.accounts, target: warm.accounts, stage: STREAMING, writeMode: %s}
                    """.formatted(broker.bootstrapServers(), writeMode, writeMode, writeMode));
            LakeshiftConfig config = ConfigLoader.load(yaml, work, List.of("spark.maxOffsetsPerTrigger=" + batch,
                    "spark.triggerIntervalMs=" + triggerMs, "spark.master=" + base.spark().master(),
                    "spark.shufflePartitions=" + base.spark().shufflePartitions()));
            bootstrap(config);
            SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-bench-stream")).getOrCreate();
            try {
                warmUp(config, spark, report);
                double rowsPerSecond = throughput(config, spark, report);
                long[] freshness = freshness(config, spark, report);
                summary = String.format("bench stream: apply_rows_per_s=%.0f freshness_p50_ms=%d freshness_p99_ms=%d",
                        rowsPerSecond, freshness[0], freshness[1]);
            } finally {
                spark.stop();
            }
        } finally {
            deleteRecursively(work);
        }
        // Last, after Spark and the broker have stopped and said what they had to say.
        report.finish(base.dataDir(), summary);
        return 0;
    }

    /**
     * The same job on another table, so that the timed run measures the job, not the JVM compiling
     * Spark's, Iceberg's and Lakeshift's code paths for the first time (the freshness run likewise
     * waits 15 s before it measures).
     */
    private void warmUp(LakeshiftConfig config, SparkSession spark, BenchReport report) throws Exception {
        if (warmUp <= 0) {
            return;
        }
        long start = System.nanoTime();
        fill(config, "bench.warm.bench.accounts", warmUp, Math.min(keys, Math.max(1, warmUp / 10)));
        try (RunningApply apply = StreamingApplyJob.start(spark, config, "warm", StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            apply.awaitTermination();
        }
        report.line(String.format("warm-up (not timed): %,d upserts produced and applied to another table in %.1f s", warmUp,
                (System.nanoTime() - start) / 1e9));
    }

    /** Fills a topic with {@code count} upserts over {@code keySpace} keys: every key inserted, then random updates. */
    private static void fill(LakeshiftConfig config, String topic, int count, int keySpace) {
        try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
            Random random = new Random(1);
            for (int i = 0; i < count; i++) {
                long id = i < keySpace ? i : random.nextInt(keySpace);
                producer.send(record(topic, i < keySpace ? Op.CREATE : Op.UPDATE, id, 1_000_000L + i, System.currentTimeMillis(), random));
            }
            producer.flush();
        }
    }

    private double throughput(LakeshiftConfig config, SparkSession spark, BenchReport report) throws Exception {
        long produceStart = System.nanoTime();
        fill(config, "bench.bulk.bench.accounts", records, keys);
        report.line(String.format("produced %,d upserts over %,d keys in %.1f s", records, keys, (System.nanoTime() - produceStart) / 1e9));
        long start = System.nanoTime();
        long applied;
        try (RunningApply apply = StreamingApplyJob.start(spark, config, "bulk", StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            apply.awaitTermination();
            applied = apply.metrics().get("bulk.accounts").rowsApplied();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        spark.sql("REFRESH TABLE lakeshift.bulk.accounts");
        spark.sql("REFRESH TABLE lakeshift.bulk.accounts__changelog");
        long rows = spark.table("lakeshift.bulk.accounts").count();
        long changelog = spark.table("lakeshift.bulk.accounts__changelog").count();
        report.line(String.format("throughput (%s, available-now, maxOffsetsPerTrigger %,d): %,d changes applied in %.1f s"
                + " = %,.0f rows/s; table %,d rows, changelog %,d rows", writeMode, batch, applied, secs, applied / secs, rows, changelog));
        if (rows != keys || changelog != records) {
            throw new IllegalStateException("bench result is wrong: table has " + rows + " rows (expected " + keys
                    + "), changelog " + changelog + " (expected " + records + ")");
        }
        return applied / secs;
    }

    private long[] freshness(LakeshiftConfig config, SparkSession spark, BenchReport report) throws Exception {
        String topic = "bench.live.bench.accounts";
        AtomicBoolean running = new AtomicBoolean(true);
        long[] sent = new long[1];
        Thread load = new Thread(() -> {
            Random random = new Random(2);
            try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
                long start = System.nanoTime();
                long seq = 1;
                while (running.get()) {
                    long due = start + seq * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    }
                    long id = random.nextInt(keys);
                    producer.send(record(topic, seq <= keys ? Op.CREATE : Op.UPDATE, id, seq, System.currentTimeMillis(), random));
                    seq++;
                }
                sent[0] = seq - 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-stream-load");
        try (RunningApply apply = StreamingApplyJob.start(spark, config, "live", StreamingApplyJob.Mode.CONTINUOUS)) {
            load.start();
            Thread.sleep(15_000);
            apply.freshness().reset();
            Thread.sleep(seconds * 1000L);
            long p50 = apply.freshness().percentile(0.5);
            long p99 = apply.freshness().percentile(0.99);
            long measured = apply.freshness().count();
            running.set(false);
            load.join();
            // Stopped once every change sent is applied: no batch is cut short by the stop.
            apply.awaitCaughtUp(java.time.Duration.ofMinutes(2));
            report.line(String.format("freshness (%s, continuous, trigger %d ms, %,d changes/s for %d s after 15 s warm-up):"
                    + " p50 %,d ms, p99 %,d ms, max %,d ms over %,d changes; %,d sent in all", writeMode, triggerMs, rate, seconds,
                    p50, p99, apply.freshness().max(), measured, sent[0]));
            return new long[] {p50, p99};
        } finally {
            running.set(false);
        }
    }

    private static void bootstrap(LakeshiftConfig config) throws Exception {
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        SourceTable accounts = new SourceTable("bench", "accounts", List.of(
                new SourceTable.SourceColumn("id", LogicalType.INT64, false, "int8"),
                new SourceTable.SourceColumn("name", LogicalType.STRING, true, "text"),
                new SourceTable.SourceColumn("amount", LogicalType.decimal(12, 2), true, "numeric"),
                new SourceTable.SourceColumn("updated_at", LogicalType.TIMESTAMPTZ, true, "timestamptz")), List.of("id"));
        new TableBootstrap(catalog).ensureTable("bulk.accounts", accounts, List.of(), true);
        new TableBootstrap(catalog).ensureTable("live.accounts", accounts, List.of(), true);
        new TableBootstrap(catalog).ensureTable("warm.accounts", accounts, List.of(), true);
        ((AutoCloseable) catalog).close();
    }

    private static KafkaProducer<byte[], byte[]> producer(LakeshiftConfig config) {
        return new KafkaProducer<>(config.kafka().producerProperties("bench-stream"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, Op op, long id, long seq, long tsMs, Random random) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", "account " + id);
        row.put("amount", random.nextInt(1_000_000) + "." + (10 + random.nextInt(90)));
        row.put("updated_at", "2026-11-23T10:15:30.123456Z");
        ChangeEvent event = new ChangeEvent(op, Map.of("id", id), null, row,
                new SourceInfo("postgresql", "bench", "bench", "bench", "accounts", "lsn=" + seq, new long[] {seq, 1}, false, tsMs),
                tsMs, COLUMNS);
        return new ProducerRecord<>(topic, ChangeEventCodec.encodeKey(event), ChangeEventCodec.encodeValue(event));
    }

    static void deleteRecursively(Path path) throws java.io.IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
