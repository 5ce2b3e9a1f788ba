package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.envelope.SourceInfo;
import io.lakeshift.core.testing.SharedKafka;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.SourceTypeMapping;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.lakehouse.TableBootstrap;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake table created by {@link TableBootstrap} from a real PostgreSQL table with the types that
 * used to stop a source (time, timetz, interval, arrays, money, bit strings, numeric without
 * precision, a mixed-case column name), then fed the envelopes capture sends for them (the values
 * are the ones PostgresTypesIT in ingestion proves Debezium gives), applied by the real job into
 * real Iceberg: the rows land and read back as docs/type-mapping.md says.
 */
@ExtendWith(SharedKafka.class)
class TypeMappingApplyIT {

    private static final String TOPIC = "it.typed.shop.odd";

    @TempDir
    static Path dir;

    static KafkaClusterTestKit kafka;
    static SparkSession spark;
    static LakeshiftConfig config;
    static List<Column> columns;

    @BeforeAll
    static void start() throws Exception {
        kafka = SharedKafka.broker();
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                kafka:
                  bootstrapServers: %s
                  topicPrefix: it
                sources:
                  - name: typed
                    kind: postgres
                    host: db
                    port: 5432
                    database: shop
                    username: u
                    tables: [shop.odd]
                    snapshotMode: initial
                """.formatted(kafka.bootstrapServers()));
        config = ConfigLoader.load(file, dir, List.of());
        SourceTable source;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
                Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA shop");
            st.execute("CREATE TABLE shop.odd (id int PRIMARY KEY, \"Tm\" time(6), tmtz timetz, span interval, ints int[],"
                    + " texts text[], cash money, flag bit(1), nibble bit(4), num_free numeric, label text)");
            source = SourceTable.read(c, SourceTypeMapping.POSTGRES, "shop", "odd");
        }
        columns = source.columns().stream().map(c -> new Column(c.name(), c.type(), c.nullable())).toList();
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        try {
            Table table = new TableBootstrap(catalog).ensureTable("typed.odd", source, List.of(), true);
            assertThat(table.schema().findField("tm").type()).isEqualTo(Types.StringType.get());
            assertThat(table.schema().findField("tmtz").type()).isEqualTo(Types.StringType.get());
            assertThat(table.schema().findField("cash").type()).isEqualTo(Types.DecimalType.of(19, 2));
            assertThat(table.schema().findField("num_free").type()).isEqualTo(Types.DecimalType.of(38, 10));
            assertThat(table.schema().findField("flag").type()).isEqualTo(Types.BooleanType.get());
        } finally {
            IcebergCatalogs.close(catalog);
        }
        spark = SparkSession.builder().config(SparkSettings.of(config, "type-mapping-apply-it")).getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void trickyTypesLandAndReadBackAsDocumented() throws Exception {
        Map<String, Object> first = row(1, "10:15:30.123456", "08:15:30.500000Z", "P1Y2M3DT4H5M6.78S", List.of(1, -2, 3),
                Arrays.asList("a", "b \"c\"", null), "1234.56", true, "1010", "3.1415926535", "Zoë « 李小龍 » 🚀");
        Map<String, Object> updated = row(1, "23:59:59.999999", "05:30:00.000000Z", "P0Y-1M0DT0H0M0.000001S", List.of(),
                List.of(), "-0.01", false, "0001", "-0.5", "ünïcødé");
        Map<String, Object> empty = new LinkedHashMap<>();
        columns.forEach(c -> empty.put(c.name(), null));
        empty.put("id", 2);
        Map<String, Object> tooPrecise = row(3, "00:00:00.000000", null, null, null, null, null, null, null,
                "3.14159265358979323846", "rounded?");
        Map<String, Object> arrays = row(4, null, null, null, List.of(1, -2, 3), Arrays.asList("a", "b \"c\"", null), null, null,
                null, null, null);
        produce(List.of(event(Op.READ, first, 100), event(Op.READ, empty, 100), event(Op.UPDATE, updated, 200),
                event(Op.CREATE, tooPrecise, 300), event(Op.CREATE, arrays, 400)));

        try (RunningApply apply = StreamingApplyJob.start(spark, config, "typed", StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            apply.query().awaitTermination(Duration.ofMinutes(3).toMillis());
            assertThat(apply.query().exception().isEmpty()).as("query failed: %s", apply.query().exception()).isTrue();
        }

        spark.sql("REFRESH TABLE lakeshift.typed.odd");
        List<String> rows = spark.sql("SELECT id, tm, tmtz, span, ints, texts, cash, flag, nibble, num_free, label"
                + " FROM lakeshift.typed.odd ORDER BY id").collectAsList().stream().map(TypeMappingApplyIT::text).toList();
        assertThat(rows).containsExactly(
                "1|23:59:59.999999|05:30:00.000000Z|P0Y-1M0DT0H0M0.000001S|[]|[]|-0.01|false|0001|-0.5000000000|ünïcødé",
                "2|null|null|null|null|null|null|null|null|null|null",
                "4|null|null|null|[1,-2,3]|[\"a\",\"b \\\"c\\\"\",null]|null|null|null|null|null");
        assertThat(deadLetters()).singleElement().satisfies(r -> assertThat(header(r, DeadLetterHeaders.REASON))
                .contains("column num_free").contains("3.14159265358979323846 has more than 10 fractional digits"));
    }

    private static Map<String, Object> row(int id, String tm, String tmtz, String span, List<?> ints, List<?> texts, String cash,
            Boolean flag, String nibble, String numFree, String label) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("Tm", tm);
        row.put("tmtz", tmtz);
        row.put("span", span);
        row.put("ints", ints);
        row.put("texts", texts);
        row.put("cash", cash);
        row.put("flag", flag);
        row.put("nibble", nibble);
        row.put("num_free", numFree);
        row.put("label", label);
        return row;
    }

    private static byte[] event(Op op, Map<String, Object> row, long seq) {
        return ChangeEventCodec.encodeValue(new ChangeEvent(op, Map.of("id", row.get("id")), null, row,
                new SourceInfo("postgresql", "typed", "postgres", "shop", "odd", "lsn=" + seq, new long[] {seq, op == Op.READ ? 0 : 1},
                        op == Op.READ, System.currentTimeMillis()),
                System.currentTimeMillis(), columns));
    }

    private static String text(Row r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.length(); i++) {
            Object v = r.get(i);
            out.add(v instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(v));
        }
        return String.join("|", out);
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
            long until = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < until && out.isEmpty()) {
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
            }
            consumer.poll(Duration.ofMillis(1_000)).forEach(out::add); // and nothing more
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
