package io.lakeshift.benchmarks;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.ingestion.CdcSource;
import io.lakeshift.ingestion.SourceAdmin;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The measured part of {@code lakeshift bench cdc}, run in a child JVM with the heap under test
 * ({@code -Xmx1g}): either the bare Debezium engine with a consumer that only counts, or
 * Lakeshift's capture into Kafka (events acknowledged), on the same database and the same
 * Debezium settings. Each run snapshots the whole table, then streams a burst of committed
 * updates, and prints one {@code bench-result} line.
 *
 * <p>Arguments: {@code bare|lakeshift <pgPort> <bootstrapServers> <rows> <updates> <workDir> <sourceName>}.
 */
public final class CdcBenchWorker {

    static final String RESULT = "bench-result";
    private static final int UPDATE_BATCH = 1_000;

    private CdcBenchWorker() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        String bootstrap = args[2];
        long rows = Long.parseLong(args[3]);
        long updates = Long.parseLong(args[4]);
        Path workDir = Path.of(args[5]);
        String name = args[6];
        SourceConfig source = new SourceConfig(name, "postgres", "127.0.0.1", port, "postgres", "postgres", Secret.of("bench"),
                List.of(CdcBenchDatabase.TABLE), "initial", Map.of(), null, Map.of());
        KafkaConfig kafka = new KafkaConfig(bootstrap, "bench", 1, (short) 1, Map.of(), Map.of());
        double[] eps = mode.equals("bare") ? bare(source, kafka, workDir, rows, updates) : lakeshift(source, kafka, workDir, rows, updates);
        SourceAdmin.drop(source, workDir);
        System.out.printf(Locale.ROOT, "%s snapshot_eps=%.0f stream_eps=%.0f heap_max_mib=%d heap_peak_mib=%d%n", RESULT, eps[0], eps[1],
                Runtime.getRuntime().maxMemory() / (1024 * 1024), peakHeapMib());
        System.out.flush();
        System.exit(0);
    }

    private static double[] bare(SourceConfig source, KafkaConfig kafka, Path workDir, long rows, long updates) throws Exception {
        AtomicLong changes = new AtomicLong();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(CdcSource.debeziumProperties(source, kafka, workDir.resolve("offsets")))
                .notifying((records, committer) -> {
                    long n = 0;
                    for (RecordChangeEvent<SourceRecord> r : records) {
                        if (r.record().value() instanceof Struct v && v.schema().field("op") != null && v.schema().field("message") == null) {
                            n++;
                        }
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                    changes.addAndGet(n);
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            return measure(source, rows, updates, () -> executor.execute(engine), changes::get);
        } finally {
            engine.close();
            executor.shutdown();
            executor.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    private static double[] lakeshift(SourceConfig source, KafkaConfig kafka, Path workDir, long rows, long updates) throws Exception {
        try (CdcSource cdc = new CdcSource(source, kafka, workDir.resolve("offsets"), Map.of())) {
            return measure(source, rows, updates, cdc::start, () -> {
                if (cdc.ended().isDone()) {
                    throw new IllegalStateException("capture ended: " + cdc.status().error());
                }
                return cdc.status().eventsCaptured();
            });
        }
    }

    /** Snapshot: from start to the last row captured. Streaming: from the first update's commit to its last change captured. */
    private static double[] measure(SourceConfig source, long rows, long updates, Runnable start, LongSupplier captured)
            throws Exception {
        long t0 = System.nanoTime();
        start.run();
        await(captured, rows);
        double snapshotSeconds = (System.nanoTime() - t0) / 1e9;
        long t1;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + source.port() + "/postgres", "postgres", "bench");
                Statement st = c.createStatement()) {
            t1 = System.nanoTime();
            for (long from = 0; from < updates; from += UPDATE_BATCH) {
                st.executeUpdate("UPDATE " + CdcBenchDatabase.TABLE + " SET amount = amount + 0.01, updated_at = now()"
                        + " WHERE id > " + from + " AND id <= " + Math.min(updates, from + UPDATE_BATCH));
            }
        }
        await(captured, rows + updates);
        double streamSeconds = (System.nanoTime() - t1) / 1e9;
        return new double[] {rows / snapshotSeconds, updates / streamSeconds};
    }

    private static void await(LongSupplier captured, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (captured.getAsLong() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + captured.getAsLong() + " of " + count + " changes captured in 15 minutes");
            }
            Thread.sleep(5);
        }
    }

    private static long peakHeapMib() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }
}
