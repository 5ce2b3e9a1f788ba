package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.testing.SharedKafka;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.SourceTypeMapping;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PostgreSQL type of docs/type-mapping.md through real capture (PostgreSQL 14, pgoutput,
 * Debezium, an in-process Kafka broker): each value as the envelope carries it, and each
 * envelope column's logical type equal to what {@link SourceTypeMapping} gives the same column
 * from JDBC metadata, which is the type the lake table is created with.
 */
@ExtendWith(SharedKafka.class)
class PostgresTypesIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String COLUMNS = "id int PRIMARY KEY, tm time(6), tmtz timetz, span interval, num_free numeric,"
            + " cash money, ints int[], texts text[], feeling ptypes.mood, amount ptypes.positive_amount,"
            + " flag bit(1), nibble bit(4), vbits varbit(8), doc xml, ip inet, net cidr, mac macaddr, js json, jsb jsonb,"
            + " raw bytea, ref uuid, code char(5), label text";
    private static final String VALUES = "'10:15:30.123456', '10:15:30.5+02', '1 year 2 mons 3 days 04:05:06.78',"
            + " 3.14159265358979323846, 1234.56, '{1,-2,3}', '{\"a\",\"b \\\"c\\\"\",NULL}', 'happy', 12.50,"
            + " B'1', B'1010', B'101', '<a>Zoë</a>', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',"
            + " '{\"b\": 1}', '{\"b\": 1, \"a\": [1, 2.50]}', '\\x00ff10', '0b0c1d2e-3f40-4152-8364-758697a8b9ca', 'ab',"
            + " 'Zoë « 李小龍 » 🚀'";

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static KafkaClusterTestKit kafka;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestServers.postgres(dir.resolve("pg"));
        kafka = SharedKafka.broker();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyTypeArrivesWithTheLogicalTypeTheLakeTableIsCreatedWith() throws Exception {
        sql("CREATE SCHEMA ptypes", "CREATE TYPE ptypes.mood AS ENUM ('sad', 'happy')",
                "CREATE DOMAIN ptypes.positive_amount AS numeric(10,2) CHECK (VALUE > 0)",
                "CREATE TABLE ptypes.t (" + COLUMNS + ")",
                "INSERT INTO ptypes.t VALUES (1, " + VALUES + ")", "INSERT INTO ptypes.t (id) VALUES (2)");
        SourceConfig source = new SourceConfig("ptypes", "postgres", "127.0.0.1", postgres.getPort(), "postgres", "postgres",
                Secret.of("unused"), List.of("ptypes.t"), "initial", Map.of(), null, Map.of());
        KafkaConfig kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "it", 1, (short) 1, Map.of(), Map.of());
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("state"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql("INSERT INTO ptypes.t VALUES (3, " + VALUES + ")",
                    "UPDATE ptypes.t SET tm = '23:59:59.999999', tmtz = '00:00:00-05:30', span = '-1 mons +00:00:00.000001',"
                            + " num_free = -0.5, cash = -0.01, nibble = B'0001', feeling = 'sad', ints = '{}' WHERE id = 1");
            cdc.watermark(TIMEOUT);
        }
        List<ChangeEvent> events = TopicReader.events(kafka.bootstrapServers(), "it.ptypes.ptypes.t");
        assertThat(events).extracting(ChangeEvent::op).containsExactlyInAnyOrder(Op.READ, Op.READ, Op.CREATE, Op.UPDATE);
        Map<Object, ChangeEvent> last = events.stream().collect(Collectors.toMap(e -> e.key().get("id"), e -> e, (a, b) -> b));

        Map<String, Object> inserted = last.get(3).after();
        assertThat(inserted)
                .containsEntry("tm", "10:15:30.123456")
                .containsEntry("tmtz", "08:15:30.500000Z")
                .containsEntry("span", "P1Y2M3DT4H5M6.78S")
                .containsEntry("num_free", "3.14159265358979323846")
                .containsEntry("cash", "1234.56")
                .containsEntry("ints", List.of(1, -2, 3))
                .containsEntry("texts", Arrays.asList("a", "b \"c\"", null))
                .containsEntry("feeling", "happy")
                .containsEntry("amount", "12.50")
                .containsEntry("flag", true)
                .containsEntry("nibble", "1010")
                .containsEntry("vbits", "00000101")
                .containsEntry("doc", "<a>Zoë</a>")
                .containsEntry("ip", "192.168.0.1/24")
                .containsEntry("net", "10.0.0.0/8")
                .containsEntry("mac", "08:00:2b:01:02:03")
                .containsEntry("js", "{\"b\": 1}")
                .containsEntry("jsb", "{\"a\": [1, 2.50], \"b\": 1}")
                .containsEntry("raw", "AP8Q")
                .containsEntry("ref", "0b0c1d2e-3f40-4152-8364-758697a8b9ca")
                .containsEntry("code", "ab   ")
                .containsEntry("label", "Zoë « 李小龍 » 🚀");
        assertThat(last.get(1).op()).isEqualTo(Op.UPDATE);
        assertThat(last.get(1).after())
                .containsEntry("tm", "23:59:59.999999")
                .containsEntry("tmtz", "05:30:00.000000Z")
                .containsEntry("span", "P0Y-1M0DT0H0M0.000001S")
                .containsEntry("num_free", "-0.5")
                .containsEntry("cash", "-0.01")
                .containsEntry("nibble", "0001")
                .containsEntry("feeling", "sad")
                .containsEntry("ints", List.of())
                .containsEntry("label", "Zoë « 李小龍 » 🚀");
        Map<String, Object> empty = last.get(2).after();
        assertThat(empty).hasSize(23);
        empty.forEach((column, value) -> {
            if (!column.equals("id")) {
                assertThat(value).as(column).isNull();
            }
        });

        SourceTable table;
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            table = SourceTable.read(c, SourceTypeMapping.POSTGRES, "ptypes", "t");
        }
        Map<String, LogicalType> fromJdbc = new LinkedHashMap<>();
        table.columns().forEach(c -> fromJdbc.put(c.name(), c.type()));
        for (ChangeEvent e : events) {
            Map<String, LogicalType> captured = new LinkedHashMap<>();
            e.columns().forEach(c -> captured.put(c.name(), c.type()));
            assertThat(captured).as("logical types of a %s event", e.op()).containsExactlyEntriesOf(fromJdbc);
        }
        assertThat(fromJdbc).containsEntry("tm", LogicalType.TIME).containsEntry("tmtz", LogicalType.STRING)
                .containsEntry("num_free", LogicalType.decimal(0, 0)).containsEntry("cash", LogicalType.decimal(19, 2))
                .containsEntry("ints", LogicalType.JSON).containsEntry("amount", LogicalType.decimal(10, 2))
                .containsEntry("flag", LogicalType.BOOLEAN).containsEntry("nibble", LogicalType.STRING)
                .containsEntry("jsb", LogicalType.JSON).containsEntry("ref", LogicalType.UUID);
        assertThat(last.get(3).columns()).contains(new Column("id", LogicalType.INT32, false));
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            TestServers.execute(c, statements);
        }
    }
}
