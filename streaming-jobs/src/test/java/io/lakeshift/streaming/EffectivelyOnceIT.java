package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.envelope.SourceInfo;
import io.lakeshift.core.testing.SharedKafka;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.TableBootstrap;
import java.io.File;
import java.math.BigDecimal;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Effectively-once under crashes: the apply job runs in a child JVM that halts (as kill -9 does)
 * at each crash point — before any commit, between the changelog and the MERGE, after the MERGE,
 * and after every Iceberg commit but before Spark's checkpoint commit — and is restarted. After all
 * of it, the changelog holds every event exactly once and the table equals the newest change per key.
 */
@ExtendWith(SharedKafka.class)
class EffectivelyOnceIT {

    private static final String TOPIC = "crash.crash.shop.accounts";
    private static final int EVENTS = 60;
    private static final int PER_BATCH = 10;

    @TempDir
    static Path dir;

    static KafkaClusterTestKit kafka;
    static Path configFile;
    static LakeshiftConfig config;

    @BeforeAll
    static void start() throws Exception {
        kafka = SharedKafka.broker();
        configFile = dir.resolve("lakeshift.yaml");
        Files.writeString(configFile, """
                kafka:
                  bootstrapServers: %s
                  topicPrefix: crash
                sources:
                  - name: crash
                    kind: postgres
                    host: db
                    port: 5432
                    database: shop
                    username: u
                    tables: [shop.accounts]
                    snapshotMode: initial
                spark:
                  master: local[1]
                  shufflePartitions: 2
                  maxOffsetsPerTrigger: %d
                """.formatted(kafka.bootstrapServers(), PER_BATCH));
        config = ConfigLoader.load(configFile, dir, List.of());
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        new TableBootstrap(catalog).ensureTable("crash.accounts", new SourceTable("shop", "accounts", List.of(
                new SourceTable.SourceColumn("id", LogicalType.INT64, false, "int8"),
                new SourceTable.SourceColumn("balance", LogicalType.decimal(12, 2), false, "numeric")), List.of("id")), List.of(), true);
        ((AutoCloseable) catalog).close();
    }

    @Test
    void crashesAtEveryCommitPointLeaveNoDuplicateAndNoGap() throws Exception {
        Map<Long, String> expected = produceChanges();

        assertThat(runChild(CrashPoints.BEFORE_COMMIT + "@0")).as("exit code, halted").isEqualTo(137);
        assertThat(runChild(CrashPoints.AFTER_CHANGELOG + "@1")).isEqualTo(137);
        assertThat(runChild(CrashPoints.AFTER_MERGE + "@2")).isEqualTo(137);
        assertThat(runChild(CrashPoints.BEFORE_CHECKPOINT + "@3")).isEqualTo(137);
        assertThat(runChild(CrashPoints.AFTER_MERGE + "@5")).isEqualTo(137);
        assertThat(runChild(null)).as("a run without crash").isZero();

        // Read with Iceberg's own generic reader (deletes applied): the jobs ran in the children,
        // and this JVM starts Spark only for StreamingApplyIT.
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        try {
            List<Long> offsets = new ArrayList<>();
            try (CloseableIterable<Record> rows = IcebergGenerics.read(catalog.loadTable(TableIdentifier.of("crash", "accounts__changelog")))
                    .select("_ls_kafka_offset").build()) {
                rows.forEach(r -> offsets.add((Long) r.getField("_ls_kafka_offset")));
            }
            assertThat(offsets).hasSize(EVENTS);
            assertThat(offsets.stream().distinct().count()).isEqualTo(EVENTS);
            Map<Long, String> actual = new TreeMap<>();
            try (CloseableIterable<Record> rows = IcebergGenerics.read(catalog.loadTable(TableIdentifier.of("crash", "accounts")))
                    .select("id", "balance").build()) {
                for (Record r : rows) {
                    assertThat(actual.put((Long) r.getField("id"), ((BigDecimal) r.getField("balance")).toPlainString()))
                            .as("duplicate key %s", r.getField("id")).isNull();
                }
            }
            assertThat(actual).isEqualTo(expected);
        } finally {
            ((AutoCloseable) catalog).close();
        }
    }

    /** Upserts and deletes over 8 keys, in source order; returns the state they leave. */
    private static Map<Long, String> produceChanges() throws Exception {
        Random random = new Random(7);
        Map<Long, String> state = new TreeMap<>();
        Map<String, Object> props = new HashMap<>(config.kafka().producerProperties("crash-it"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                long id = random.nextInt(8);
                long lsn = 1_000 + i * 10L;
                boolean delete = state.containsKey(id) && random.nextInt(4) == 0;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", id);
                String balance = random.nextInt(100_000) + "." + String.format("%02d", random.nextInt(100));
                row.put("balance", balance);
                Op op = delete ? Op.DELETE : state.containsKey(id) ? Op.UPDATE : Op.CREATE;
                ChangeEvent event = new ChangeEvent(op, Map.of("id", id), delete ? Map.of("id", id) : null, delete ? null : row,
                        new SourceInfo("postgresql", "crash", "shop", "shop", "accounts", "lsn=" + lsn, new long[] {lsn, 1}, false,
                                System.currentTimeMillis()),
                        System.currentTimeMillis(), List.of(new Column("id", LogicalType.INT64, false),
                                new Column("balance", LogicalType.decimal(12, 2), false)));
                producer.send(new ProducerRecord<>(TOPIC, ChangeEventCodec.encodeKey(event), ChangeEventCodec.encodeValue(event))).get();
                if (delete) {
                    state.remove(id);
                } else {
                    state.put(id, balance);
                }
            }
        }
        return state;
    }

    /** Runs the apply job (available-now) in a child JVM; returns its exit code. */
    private static int runChild(String crashAt) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect")) {
                command.add(arg);
            }
        }
        if (crashAt != null) {
            command.add("-Dlakeshift.crash-at=" + crashAt);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StreamingApplyJob.class.getName());
        command.addAll(List.of("--config", configFile.toString(), "--data-dir", dir.toString(), "--source", "crash",
                "--trigger", "available-now"));
        Files.createDirectories(Path.of("target", "child-logs"));
        File log = Path.of("target", "child-logs", "apply-" + (crashAt == null ? "final" : crashAt.replace('@', '-')) + ".log").toFile();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        if (!child.waitFor(5, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new AssertionError("child JVM did not finish within 5 minutes; see " + log);
        }
        return child.exitValue();
    }
}
