package io.lakeshift.benchmarks;

import io.lakeshift.core.json.Json;

import io.lakeshift.camel.CamelSources;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedKafkaBroker;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.TopicNames;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lakeshift bench csv}: rows per second from a dropped CSV file into Kafka (acknowledged),
 * through the real file route, and the peak heap meanwhile.
 */
@Command(name = "csv", mixinStandardHelpOptions = true,
        description = {"Measures the file route: generates a CSV file of --rows orders under <data-dir>/bench/csv-work,",
            "drops it into a file source and times it from pickup until Kafka acknowledged its last event (with the",
            "configured Kafka; an embedded broker by default, in this JVM). Peak heap is the whole process's, broker",
            "included. Figures are appended to <data-dir>/bench/csv.txt. The last line:",
            "bench csv: rows_per_s=N heap_mib=N"})
public final class CsvBenchCommand implements Callable<Integer> {

    private static final String SOURCE = "bench_csv";

    @Mixin
    CommonOptions common;

    @Option(names = "--rows", paramLabel = "N", description = "Rows in the file (default: 1000000).")
    long rows = 1_000_000;

    @Option(names = "--batch-size", paramLabel = "N", description = "Records per Kafka batch of the route (default: 5000).")
    int batchSize = 5_000;

    @Option(names = "--warmup-rows", paramLabel = "N",
            description = "Rows of a file sent through the route first, unmeasured, so the JIT has compiled the hot path (default: 200000).")
    long warmupRows = 200_000;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        Path work = config.dataDir().toAbsolutePath().resolve("bench").resolve("csv-work");
        deleteRecursively(work);
        Path inbox = work.resolve("inbox");
        Files.createDirectories(inbox);
        BenchReport report = new BenchReport("csv", System.out);

        long t = System.nanoTime();
        Path staged = work.resolve("orders.csv");
        long bytes = CsvBenchData.write(staged, rows);
        Path warmup = work.resolve("warmup.csv");
        if (warmupRows > 0) {
            CsvBenchData.write(warmup, warmupRows);
        }
        report.line(String.format(Locale.ROOT, "generated %,d rows (%,d MiB) in %.1f s", rows, bytes >> 20, seconds(t)));

        try (BrokerHandle broker = BrokerHandle.of(config.kafka(), work.resolve("kafka"))) {
            KafkaConfig kafka = config.kafka().withBootstrapServers(broker.bootstrapServers());
            LakeshiftConfig bench = benchConfig(work, kafka, inbox);
            FileTimer warmupTimer = new FileTimer("warmup.csv");
            FileTimer timer = new FileTimer("orders.csv");
            long peakHeap;
            try (CamelSources sources = CamelSources.create(bench, Duration.ofSeconds(60))) {
                sources.camelContext().getManagementStrategy().addEventNotifier(warmupTimer);
                sources.camelContext().getManagementStrategy().addEventNotifier(timer);
                sources.start(kafka);
                if (warmupRows > 0) {
                    Files.move(warmup, inbox.resolve("warmup.csv"), StandardCopyOption.ATOMIC_MOVE);
                    if (!warmupTimer.done.await(30, TimeUnit.MINUTES) || warmupTimer.failed) {
                        throw new IllegalStateException("the warm-up file was not processed; see the log");
                    }
                    report.line(String.format(Locale.ROOT, "warm-up: %,d rows in %.2f s (not counted)", warmupRows,
                            warmupTimer.elapsedNanos() / 1e9));
                }
                System.gc();
                try (CsvBenchHeap heap = new CsvBenchHeap(10)) {
                    Files.move(staged, inbox.resolve("orders.csv"), StandardCopyOption.ATOMIC_MOVE);
                    if (!timer.done.await(30, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the file was not processed within 30 minutes");
                    }
                    heap.close();
                    peakHeap = heap.peakMib();
                }
                if (timer.failed) {
                    throw new IllegalStateException("the file route failed; see the log");
                }
                long events = sources.monitor(SOURCE).counter("events");
                long deadLetters = sources.monitor(SOURCE).counter("deadLetters");
                if (events + deadLetters != rows + warmupRows) {
                    throw new IllegalStateException("records read " + (rows + warmupRows) + " but events " + events + " + dead letters "
                            + deadLetters);
                }
            }
            String topic = TopicNames.changes(kafka.topicPrefix(), SOURCE, "bench", "orders");
            long inKafka = endOffset(kafka, topic);
            double elapsed = timer.elapsedNanos() / 1e9;
            long rowsPerSecond = Math.round(rows / elapsed);
            report.line(String.format(Locale.ROOT, "file route: %,d rows in %.2f s from pickup to the last acknowledgement"
                    + " (batch size %d, %s, Kafka %s)", rows, elapsed, batchSize, "lz4 idempotent acks=all", broker.describe()));
            report.line(String.format(Locale.ROOT, "events in Kafka topic %s: %,d", topic, inKafka));
            report.line(String.format(Locale.ROOT, "process CPU meanwhile: %.1f s (%.2f us per row, route + Kafka client + broker;"
                    + " load average %.1f on %d cores)", timer.cpuNanos() / 1e9, timer.cpuNanos() / 1e3 / rows,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors()));
            report.line(String.format(Locale.ROOT, "throughput: %,d rows/s, %.1f MiB/s of CSV; peak heap %d MiB of %d MiB max",
                    rowsPerSecond, (bytes / 1048576.0) / elapsed, peakHeap, Runtime.getRuntime().maxMemory() >> 20));
            if (inKafka < rows + warmupRows) {
                throw new IllegalStateException("only " + inKafka + " of " + rows + " events are in " + topic);
            }
            report.finish(config.dataDir().toAbsolutePath(), "bench csv: rows_per_s=" + rowsPerSecond + " heap_mib=" + peakHeap);
        } finally {
            deleteRecursively(work);
        }
        return 0;
    }

    /**
     * The configured Kafka settings plus one file source, written as YAML and loaded like any config,
     * so the source's settings are bound and validated as a user's would be.
     */
    private LakeshiftConfig benchConfig(Path work, KafkaConfig kafka, Path inbox) throws IOException {
        Map<String, Object> kafkaYaml = new LinkedHashMap<>();
        kafkaYaml.put("bootstrapServers", kafka.bootstrapServers());
        kafkaYaml.put("topicPrefix", kafka.topicPrefix());
        kafkaYaml.put("client", kafka.client());
        kafkaYaml.put("producer", kafka.producer());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("directory", inbox.toString());
        settings.put("stableForMs", 0);
        settings.put("pollIntervalMs", 100);
        settings.put("batchSize", batchSize);
        settings.put("key", List.of("order_id"));
        settings.put("columns", CsvBenchData.columns());
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("name", SOURCE);
        source.put("kind", "file");
        source.put("port", 0);
        source.put("tables", List.of(CsvBenchData.TABLE));
        source.put("settings", settings);
        Path file = work.resolve("bench-csv.yaml");
        Json.yaml().writeValue(file.toFile(), Map.of("kafka", kafkaYaml, "sources", List.of(source)));
        return ConfigLoader.load(file, work.resolve("data"), List.of());
    }

    private static long endOffset(KafkaConfig kafka, String topic) {
        Map<String, Object> props = new java.util.HashMap<>(kafka.clientProperties());
        props.put("group.id", "lakeshift-bench-" + UUID.randomUUID());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Times one file's exchange (not the splitter's batches, which are exchanges of their own),
     * from when the route picks the file up until it completes, after Kafka acknowledged the last batch.
     */
    static final class FileTimer extends EventNotifierSupport {
        final CountDownLatch done = new CountDownLatch(1);
        private final AtomicReference<String> fileExchange = new AtomicReference<>();
        private final AtomicLong started = new AtomicLong();
        private final AtomicLong startedCpu = new AtomicLong();
        private final AtomicLong finishedCpu = new AtomicLong();
        private final AtomicLong finished = new AtomicLong();
        volatile boolean failed;

        private final String fileName;

        FileTimer(String fileName) {
            this.fileName = fileName;
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeSendingEvents(true);
            setIgnoreExchangeSentEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public void notify(CamelEvent event) {
            if (!(event instanceof CamelEvent.ExchangeEvent e)) {
                return;
            }
            String id = e.getExchange().getExchangeId();
            if (event instanceof CamelEvent.ExchangeCreatedEvent
                    && fileName.equals(e.getExchange().getIn().getHeader("CamelFileNameOnly", String.class))
                    && fileExchange.compareAndSet(null, id)) {
                startedCpu.set(processCpuNanos());
                started.set(System.nanoTime());
            } else if (id.equals(fileExchange.get())
                    && (event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent)) {
                failed = event instanceof CamelEvent.ExchangeFailedEvent;
                finished.set(System.nanoTime());
                finishedCpu.set(processCpuNanos());
                done.countDown();
            }
        }

        long elapsedNanos() {
            return finished.get() - started.get();
        }

        /** CPU time of the whole process (route, Kafka client and embedded broker) while the file was processed. */
        long cpuNanos() {
            return finishedCpu.get() - startedCpu.get();
        }

        private static long processCpuNanos() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() : 0;
        }
    }

    /** The configured Kafka, or an embedded broker when the config says 'embedded'. */
    record BrokerHandle(String bootstrapServers, EmbeddedKafkaBroker embedded) implements AutoCloseable {

        static BrokerHandle of(KafkaConfig kafka, Path dir) throws Exception {
            if (!kafka.embedded()) {
                return new BrokerHandle(kafka.bootstrapServers(), null);
            }
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir);
            return new BrokerHandle(broker.bootstrapServers(), broker);
        }

        String describe() {
            return embedded != null ? "embedded in this JVM" : "at " + bootstrapServers;
        }

        @Override
        public void close() throws Exception {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
