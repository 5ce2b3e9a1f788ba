package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.envelope.SourceInfo;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.lakehouse.TableBootstrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Kafka broker, real Spark, real Iceberg catalog: ordering, deletes, replays and poison records. */
class StreamingApplyIT {

    private static final String TOPIC = "it.shop.shop.items";

    @TempDir
    static Path dir;

    static KafkaClusterTestKit kafka;
    static SparkSession spark;
    static LakeshiftConfig config;

    @BeforeAll
    static void start() throws Exception {
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build()).setConfigProp("offsets.topic.replication.factor", "1").build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        Path config = dir.resolve("lakeshift.yaml");
        java.nio.file.Files.writeString(config, """
                kafka:
                  bootstrapServers: %s
                  topicPrefix: it
                sources:
                  - name: shop
                    kind: postgres
                    host: db
                    port: 5432
                    database: shop
                    username: u
                    tables: [shop.items]
                    snapshotMode: initial
                """.formatted(kafka.bootstrapServers()));
        StreamingApplyIT.config = ConfigLoader.load(config, dir, List.of("spark.triggerIntervalMs=500"));
        Catalog catalog = IcebergCatalogs.open(StreamingApplyIT.config.catalog());
        new TableBootstrap(catalog).ensureTable("shop.items", new SourceTable("shop", "items", List.of(
                new SourceTable.SourceColumn("id", Types.BIGINT, "int8", 19, 0, false),
                new SourceTable.SourceColumn("price", Types.NUMERIC, "numeric", 12, 2, false),
                new SourceTable.SourceColumn("label", Types.VARCHAR, "text", 0, 0, true),
                new SourceTable.SourceColumn("sold_at", Types.TIMESTAMP, "timestamptz", 35, 6, true)), List.of("id")), List.of());
        ((AutoCloseable) catalog).close();
        spark = SparkSession.builder().config(SparkSettings.of(StreamingApplyIT.config, "streaming-apply-it")).getOrCreate();
    }

    @AfterAll
    static void stop() throws Exception {
        if (spark != null) {
            spark.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void appliesTheNewestChangePerKeyDeletesAndDeadLettersBadRecords() throws Exception {
        produce(List.of(
                event(Op.READ, 1, "1.00", "one", 100, 0),
                event(Op.READ, 2, "2.00", "two", 100, 0),
                event(Op.UPDATE, 1, "1.50", "one, updated", 200, 1),
                event(Op.UPDATE, 1, "1.25", "older, arrives late", 150, 1),
                event(Op.DELETE, 2, null, null, 300, 1),
                event(Op.CREATE, 3, "12345678.90", "Zoë « 李 »", 310, 1),
                "not json at all".getBytes(StandardCharsets.UTF_8),
                event(Op.CREATE, 4, "abc", "bad price", 320, 1)));

        Map<String, PipelineMetrics> metrics = runAvailableNow();

        assertThat(rows()).containsExactly("1|1.50|one, updated|2026-01-01 00:00:00.123456", "3|12345678.90|Zoë « 李 »|2026-01-01 00:00:00.123456");
        List<ConsumerRecord<byte[], byte[]>> dead = deadLetters();
        assertThat(dead).hasSize(2);
        assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.REASON)).containsExactlyInAnyOrder(
                "value is not a Lakeshift change event (invalid JSON or no 'op')",
                "column price: cannot read 'abc' as decimal(12,2)");
        assertThat(dead).allSatisfy(r -> assertThat(header(r, DeadLetterHeaders.ORIGIN)).startsWith(TOPIC + "-0@"));
        PipelineMetrics m = metrics.get("shop.items");
        assertThat(m.recordsIn()).isEqualTo(8);
        assertThat(m.recordsIn()).isEqualTo(m.rowsApplied() + m.deadLetters());
        assertThat(m.deadLetters()).isEqualTo(2);

        // A later run: a replayed older change loses to what the table holds, a newer one wins.
        produce(List.of(event(Op.UPDATE, 1, "0.10", "replayed", 120, 1), event(Op.UPDATE, 3, "3.30", "newer", 400, 1)));
        runAvailableNow();

        assertThat(rows()).containsExactly("1|1.50|one, updated|2026-01-01 00:00:00.123456", "3|3.30|newer|2026-01-01 00:00:00.123456");
    }

    private Map<String, PipelineMetrics> runAvailableNow() throws Exception {
        try (RunningApply apply = StreamingApplyJob.start(spark, config, "shop", StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            apply.query().awaitTermination(Duration.ofMinutes(3).toMillis());
            assertThat(apply.query().exception().isEmpty()).as("query failed: %s", apply.query().exception()).isTrue();
            return apply.metrics();
        }
    }

    private List<String> rows() {
        spark.sql("REFRESH TABLE lakeshift.shop.items");
        List<String> out = new ArrayList<>();
        for (Row r : spark.sql("SELECT id, price, label, date_format(sold_at, 'yyyy-MM-dd HH:mm:ss.SSSSSS') FROM lakeshift.shop.items"
                + " ORDER BY id").collectAsList()) {
            out.add(r.getLong(0) + "|" + r.getDecimal(1).toPlainString() + "|" + r.getString(2) + "|" + r.getString(3));
        }
        return out;
    }

    private static byte[] event(Op op, long id, String price, String label, long seqHi, long seqLo) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("price", price);
        row.put("label", label);
        row.put("sold_at", "2026-01-01T00:00:00.123456Z");
        ChangeEvent e = new ChangeEvent(op, Map.of("id", id), op == Op.DELETE ? Map.of("id", id) : null,
                op == Op.DELETE ? null : row,
                new SourceInfo("postgresql", "shop", "shop", "shop", "items", "lsn=" + seqHi, new long[] {seqHi, seqLo},
                        op == Op.READ, System.currentTimeMillis()),
                System.currentTimeMillis(), List.of(new Column("id", LogicalType.INT64, false)));
        return ChangeEventCodec.encodeValue(e);
    }

    private static void produce(List<byte[]> values) throws Exception {
        Map<String, Object> props = new HashMap<>(config.kafka().producerProperties("it"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(TOPIC, null, value)).get();
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", UUID.randomUUID().toString(),
                "auto.offset.reset", "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC + ".dlq"));
            long until = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
