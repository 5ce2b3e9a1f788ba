package io.lakeshift.benchmarks;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedKafkaBroker;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.kafka.TopicProvisioner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lakeshift bench cdc}: changes per second from committed PostgreSQL transactions into
 * Kafka (acknowledged), for an initial snapshot and for a stream of updates, next to the bare
 * Debezium engine with a consumer that only counts, on the same database in the same run.
 */
@Command(name = "cdc", mixinStandardHelpOptions = true,
        description = {
            "Measures CDC throughput: a snapshot of --rows rows, then --updates",
            "committed updates, captured by Lakeshift into Kafka (acknowledged) and by",
            "the bare Debezium engine (counting only), each in a child JVM with --heap.",
            "Uses an embedded PostgreSQL (max_wal_size=4GB, shared_buffers=512MB) and",
            "the configured Kafka (an embedded broker by default). Figures are written",
            "to <data-dir>/bench/cdc-<time>.txt. The last line of output is:",
            "bench cdc: snapshot_eps=N stream_eps=N bare_snapshot_eps=N bare_stream_eps=N ratio=N stream_ratio=N heap_mib=N",
            "(ratio and stream_ratio: Lakeshift's events/s over the bare engine's, snapshot and streaming;",
            "heap_mib: the peak heap Lakeshift's JVM used, not its maximum)."})
public final class CdcBenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--rows", paramLabel = "N", description = "Rows in the snapshotted table (default: 1000000).")
    long rows = 1_000_000;

    @Option(names = "--updates", paramLabel = "N", description = "Row updates streamed after the snapshot (default: 300000).")
    long updates = 300_000;

    @Option(names = "--heap", paramLabel = "SIZE", description = "Heap of the measured JVMs, as -Xmx takes it (default: 1g).")
    String heap = "1g";

    @Option(names = "--repeat", paramLabel = "N", description = "Runs of each engine, alternating; the best of each counts, which keeps the ratio"
            + " steady on a shared machine (default: 2).")
    int repeat = 2;

    @Option(names = "--jvm-arg", paramLabel = "ARG", description = "Extra option for the measured JVMs, e.g. a profiler (repeatable).")
    List<String> jvmArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        PrintStream out = System.out;
        Path benchDir = config.dataDir().toAbsolutePath().resolve("bench");
        Path work = benchDir.resolve("cdc-work");
        deleteRecursively(work);
        Files.createDirectories(work);
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "bench cdc %s: rows=%d updates=%d heap=%s repeat=%d cores=%d", LocalDateTime.now(),
                rows, updates, heap, repeat, Runtime.getRuntime().availableProcessors()));

        try (CdcBenchDatabase db = CdcBenchDatabase.start(work.resolve("postgres"));
                BrokerHandle broker = BrokerHandle.of(config.kafka(), work.resolve("kafka"))) {
            out.printf("bench cdc: PostgreSQL on 127.0.0.1:%d, Kafka at %s%n", db.port(), broker.bootstrapServers());
            long t = System.currentTimeMillis();
            db.seed(rows);
            out.printf(Locale.ROOT, "bench cdc: seeded %,d rows in %.1f s%n", rows, (System.currentTimeMillis() - t) / 1000.0);
            KafkaConfig kafka = config.kafka().withBootstrapServers(broker.bootstrapServers());
            Map<String, Double> best = new HashMap<>();
            long peakMib = 0;
            long maxHeapMib = 0;
            for (int run = 1; run <= repeat; run++) {
                for (String mode : List.of("bare", "lakeshift")) {
                    String name = mode + run;
                    TopicProvisioner.ensure(kafka, List.of("bench." + name + ".bench.items", "bench." + name + ".bench.items.dlq"));
                    Map<String, String> r = runChild(mode, name, db.port(), kafka.bootstrapServers(), work, config.dataDir());
                    double snapshot = Double.parseDouble(r.get("snapshot_eps"));
                    double stream = Double.parseDouble(r.get("stream_eps"));
                    String line = String.format(Locale.ROOT, "run %d %-9s snapshot %,.0f events/s, stream %,.0f events/s, heap max %s MiB,"
                            + " peak used %s MiB", run, mode, snapshot, stream, r.get("heap_max_mib"), r.get("heap_peak_mib"));
                    out.println("bench cdc: " + line);
                    report.add(line);
                    best.merge(mode + ".snapshot", snapshot, Math::max);
                    best.merge(mode + ".stream", stream, Math::max);
                    if (mode.equals("lakeshift")) {
                        maxHeapMib = Long.parseLong(r.get("heap_max_mib"));
                        peakMib = Math.max(peakMib, Long.parseLong(r.get("heap_peak_mib")));
                    }
                }
            }
            double snapshotEps = best.get("lakeshift.snapshot");
            double streamEps = best.get("lakeshift.stream");
            double bareSnapshot = best.get("bare.snapshot");
            double bareStream = best.get("bare.stream");
            String summary = String.format(Locale.ROOT, "bench cdc: snapshot_eps=%.0f stream_eps=%.0f bare_snapshot_eps=%.0f bare_stream_eps=%.0f"
                    + " ratio=%.3f stream_ratio=%.3f heap_mib=%d",
                    snapshotEps, streamEps, bareSnapshot, bareStream, snapshotEps / bareSnapshot, streamEps / bareStream, peakMib);
            report.add(String.format(Locale.ROOT, "lakeshift_max_heap_mib=%d", maxHeapMib));
            report.add(summary);
            Path file = benchDir.resolve("cdc-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".txt");
            Files.write(file, report, StandardCharsets.UTF_8);
            out.printf(Locale.ROOT, "bench cdc: Lakeshift's heap: %d MiB at most, %d MiB used at peak; figures in %s%n",
                    maxHeapMib, peakMib, file);
            out.println(summary);
            out.flush();
        } finally {
            deleteRecursively(work);
        }
        return 0;
    }

    private Map<String, String> runChild(String mode, String name, int port, String bootstrap, Path work, Path dataDir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.addAll(jvmArgs);
        command.add("-Dlakeshift.log.dir=" + dataDir.toAbsolutePath().resolve("logs"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CdcBenchWorker.class.getName());
        command.addAll(List.of(mode, Integer.toString(port), bootstrap, Long.toString(rows), Long.toString(updates),
                work.resolve(name).toString(), name));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> result = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith(CdcBenchWorker.RESULT + " ")) {
                    result = new HashMap<>();
                    for (String pair : line.substring(CdcBenchWorker.RESULT.length() + 1).split(" ")) {
                        String[] kv = pair.split("=", 2);
                        result.put(kv[0], kv[1]);
                    }
                }
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the " + mode + " run failed (exit " + exit + "); see " + dataDir.resolve("logs/lakeshift.log"));
        }
        return result;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The configured Kafka, or an embedded broker started for the run. */
    private record BrokerHandle(String bootstrapServers, EmbeddedKafkaBroker broker) implements AutoCloseable {

        static BrokerHandle of(KafkaConfig kafka, Path dir) throws Exception {
            if (!kafka.embedded()) {
                return new BrokerHandle(kafka.bootstrapServers(), null);
            }
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir);
            return new BrokerHandle(broker.bootstrapServers(), broker);
        }

        @Override
        public void close() throws Exception {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
