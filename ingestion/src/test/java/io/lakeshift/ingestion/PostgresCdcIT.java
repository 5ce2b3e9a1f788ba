package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.core.testing.SharedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL capture against a real PostgreSQL 14 (pgoutput) and a real in-process Kafka broker.
 * Each test captures its own schema with its own source name, slot and topics.
 */
@ExtendWith(SharedKafka.class)
class PostgresCdcIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static KafkaClusterTestKit kafka;
    static KafkaConfig kafkaConfig;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestServers.postgres(dir.resolve("pg"));
        kafka = SharedKafka.broker();
        kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "it", 1, (short) 1, Map.of(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void snapshotThenStreamingHasNoGapAndNoDuplicateAtTheHandoff() throws Exception {
        sql("CREATE SCHEMA handoff", "CREATE TABLE handoff.t (id int PRIMARY KEY, v text)",
                "INSERT INTO handoff.t SELECT g, 'seed' FROM generate_series(1, 3000) g");
        SourceConfig source = source("handoff", List.of("handoff.t"), Map.of());
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("handoff"), Map.of())) {
            // Commits race the snapshot: each lands either in the snapshot or in the stream, never both, never neither.
            Thread writer = new Thread(() -> {
                try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                    for (int id = 3001; id <= 4500; id++) {
                        st.execute("INSERT INTO handoff.t VALUES (" + id + ", 'new')");
                        if (id % 3 == 0) {
                            st.execute("UPDATE handoff.t SET v = 'updated' WHERE id = " + (id - 3000));
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
            assertThat(cdc.status().snapshotRows()).isBetween(3000L, 4500L);
        }
        // what a snapshot's progress is measured against: the source's own estimate, no count
        sql("ANALYZE handoff.t");
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            assertThat(SourceDialect.of(source).estimatedRows(c, "handoff.t")).isEqualTo(4500);
            assertThat(SourceDialect.of(source).estimatedRows(c, "handoff.no_such_table")).isEqualTo(-1);
        }

        List<ChangeEvent> events = TopicReader.events(kafka.bootstrapServers(), "it.handoff.handoff.t");
        Map<Object, Long> inserted = events.stream().filter(e -> e.op() == Op.READ || e.op() == Op.CREATE)
                .collect(Collectors.groupingBy(e -> e.key().get("id"), Collectors.counting()));
        assertThat(inserted).hasSize(4500);
        assertThat(inserted.values()).allMatch(n -> n == 1L);
        assertThat(finalRows(events)).isEqualTo(sourceRows("SELECT id, v FROM handoff.t"));
    }

    @Test
    void everyTypeRoundTripsExactlyThroughSnapshotAndStreaming() throws Exception {
        sql("CREATE SCHEMA types", "CREATE TABLE types.t (id int PRIMARY KEY, dec numeric(38,10), dec_neg numeric(12,2),"
                + " num_free numeric, small smallint, big bigint, r real, d double precision, ts timestamp(6), old_ts timestamp,"
                + " tstz timestamptz, day date, old_day date, tm time(6), ok boolean, raw bytea, doc json, docb jsonb, ref uuid,"
                + " ints int[], texts text[], label text, defaulted int DEFAULT 42)",
                insertTypes(1), "INSERT INTO types.t (id, defaulted) VALUES (2, NULL)");
        SourceConfig source = source("types", List.of("types.t"), Map.of());
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("types"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql(insertTypes(3), "INSERT INTO types.t (id, defaulted) VALUES (4, NULL)");
            cdc.watermark(TIMEOUT);
        }
        Map<Object, ChangeEvent> byId = TopicReader.events(kafka.bootstrapServers(), "it.types.types.t").stream()
                .collect(Collectors.toMap(e -> e.key().get("id"), Function.identity()));
        assertThat(byId.get(1).op()).isEqualTo(Op.READ);
        assertThat(byId.get(3).op()).isEqualTo(Op.CREATE);
        for (int id : new int[] {1, 3}) {
            Map<String, Object> row = byId.get(id).after();
            assertThat(row)
                    .containsEntry("dec", "1234567890123456789012345678.1234567890")
                    .containsEntry("dec_neg", "-0.05")
                    .containsEntry("num_free", "3.14159265358979323846")
                    .containsEntry("small", 32767)
                    .containsEntry("big", Long.MAX_VALUE)
                    .containsEntry("r", new BigDecimal("1.5"))
                    .containsEntry("d", new BigDecimal("0.1"))
                    .containsEntry("ts", "2026-02-28T23:59:59.999999")
                    .containsEntry("old_ts", "1901-12-13T20:45:52.000001")
                    .containsEntry("tstz", "2026-02-28T21:59:59.999999Z")
                    .containsEntry("day", "2026-02-28")
                    .containsEntry("old_day", "1969-07-20")
                    .containsEntry("tm", "23:59:59.999999")
                    .containsEntry("ok", false)
                    .containsEntry("raw", "AP8Q")
                    .containsEntry("doc", "{\"b\": 1, \"a\": [1, 2.50]}")
                    .containsEntry("docb", "{\"a\": [1, 2.50], \"b\": 1}")
                    .containsEntry("ref", "0b0c1d2e-3f40-4152-8364-758697a8b9ca")
                    .containsEntry("ints", List.of(1, -2, 3))
                    .containsEntry("texts", java.util.Arrays.asList("a", "b \"c\"", null))
                    .containsEntry("label", "Zoë « 李小龍 » 🚀")
                    .containsEntry("defaulted", 7);
            // The texts the database itself gives back are the ones in the envelope.
            Map<String, Object> db = sourceRow("SELECT doc::text AS doc, docb::text AS docb, encode(raw, 'base64') AS raw,"
                    + " dec::text AS dec, num_free::text AS num_free FROM types.t WHERE id = " + id);
            assertThat(row).containsAllEntriesOf(db);
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
                new Column("dec", LogicalType.decimal(38, 10), true),
                new Column("num_free", LogicalType.decimal(0, 0), true),
                new Column("ts", LogicalType.TIMESTAMP, true),
                new Column("tstz", LogicalType.TIMESTAMPTZ, true),
                new Column("day", LogicalType.DATE, true),
                new Column("tm", LogicalType.TIME, true),
                new Column("ok", LogicalType.BOOLEAN, true),
                new Column("raw", LogicalType.BINARY, true),
                new Column("doc", LogicalType.JSON, true),
                new Column("docb", LogicalType.JSON, true),
                new Column("ref", LogicalType.UUID, true),
                new Column("ints", LogicalType.JSON, true));
    }

    private static String insertTypes(int id) {
        return "INSERT INTO types.t VALUES (" + id + ", 1234567890123456789012345678.1234567890, -0.05, 3.14159265358979323846,"
                + " 32767, 9223372036854775807, 1.5, 0.1, '2026-02-28 23:59:59.999999', '1901-12-13 20:45:52.000001',"
                + " '2026-02-28 23:59:59.999999+02', '2026-02-28', '1969-07-20', '23:59:59.999999', false, '\\x00ff10',"
                + " '{\"b\": 1, \"a\": [1, 2.50]}', '{\"b\": 1, \"a\": [1, 2.50]}', '0b0c1d2e-3f40-4152-8364-758697a8b9ca',"
                + " '{1,-2,3}', '{\"a\",\"b \\\"c\\\"\",NULL}', 'Zoë « 李小龍 » 🚀', 7)";
    }

    @Test
    void schemaChangesWhileStreamingReachTheEnvelopeWithoutARestart() throws Exception {
        sql("CREATE SCHEMA evolve", "CREATE TABLE evolve.t (id int PRIMARY KEY, v int, price numeric(10,2), old text)",
                "INSERT INTO evolve.t VALUES (1, 1, 1.25, 'x')");
        SourceConfig source = source("evolve", List.of("evolve.t"), Map.of());
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("evolve"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql("ALTER TABLE evolve.t ADD COLUMN extra text", "INSERT INTO evolve.t VALUES (2, 2, 2.50, 'y', 'added')");
            sql("ALTER TABLE evolve.t ALTER COLUMN v TYPE bigint", "ALTER TABLE evolve.t ALTER COLUMN price TYPE numeric(14,4)",
                    "INSERT INTO evolve.t VALUES (3, 1099511627776, 12.3456, 'z', 'wide')");
            sql("ALTER TABLE evolve.t DROP COLUMN old", "INSERT INTO evolve.t VALUES (4, 4, 4.0000, 'after drop')");
            sql("ALTER TABLE evolve.t RENAME COLUMN extra TO note", "INSERT INTO evolve.t VALUES (5, 5, 5.0000, 'renamed')");
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
            assertThat(cdc.status().notices()).anySatisfy(n -> assertThat(n).contains("evolve.t").contains("added [extra string]"))
                    .anySatisfy(n -> assertThat(n).contains("changed").contains("v int32 null -> int64 null")
                            .contains("price decimal(10,2) null -> decimal(14,4) null"))
                    .anySatisfy(n -> assertThat(n).contains("dropped or renamed [old]"))
                    .anySatisfy(n -> assertThat(n).contains("added [note string]").contains("dropped or renamed [extra]"));
        }
        Map<Object, ChangeEvent> byId = TopicReader.events(kafka.bootstrapServers(), "it.evolve.evolve.t").stream()
                .collect(Collectors.toMap(e -> e.key().get("id"), Function.identity()));
        assertThat(byId).containsOnlyKeys(1, 2, 3, 4, 5);
        assertThat(byId.get(2).after()).containsEntry("extra", "added");
        assertThat(byId.get(2).columns()).contains(new Column("extra", LogicalType.STRING, true));
        assertThat(byId.get(3).after()).containsEntry("v", 1099511627776L).containsEntry("price", "12.3456");
        assertThat(byId.get(3).columns()).contains(new Column("v", LogicalType.INT64, true),
                new Column("price", LogicalType.decimal(14, 4), true));
        assertThat(byId.get(4).after()).doesNotContainKey("old").containsEntry("extra", "after drop");
        assertThat(byId.get(5).after()).containsEntry("note", "renamed").doesNotContainKey("extra");
    }

    @Test
    void tablesWithoutAPrimaryKeyUseTheConfiguredKeyOrTheWholeRow() throws Exception {
        sql("CREATE SCHEMA nokey", "CREATE TABLE nokey.log (who text, what text)", "CREATE TABLE nokey.stock (sku text, qty int)",
                "INSERT INTO nokey.log VALUES ('ann', 'login')", "INSERT INTO nokey.stock VALUES ('A-1', 5)");
        SourceConfig source = source("nokey", List.of("nokey.log", "nokey.stock"), Map.of());
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("nokey"), Map.of("nokey.stock", List.of("sku")))) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            // With REPLICA IDENTITY DEFAULT PostgreSQL would reject these once the tables are published.
            sql("UPDATE nokey.log SET what = 'logout' WHERE who = 'ann'", "DELETE FROM nokey.log WHERE who = 'ann'",
                    "UPDATE nokey.stock SET qty = 4 WHERE sku = 'A-1'", "DELETE FROM nokey.stock WHERE sku = 'A-1'");
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
        }
        assertThat(sourceRow("SELECT relreplident::text AS identity FROM pg_class WHERE oid = 'nokey.log'::regclass"))
                .containsEntry("identity", "f");
        List<ChangeEvent> log = TopicReader.events(kafka.bootstrapServers(), "it.nokey.nokey.log");
        assertThat(log).extracting(ChangeEvent::op).containsExactly(Op.READ, Op.UPDATE, Op.DELETE);
        assertThat(log.get(1).key()).isEqualTo(Map.of("who", "ann", "what", "logout"));
        assertThat(log.get(1).before()).isEqualTo(Map.of("who", "ann", "what", "login"));
        assertThat(log.get(2).key()).isEqualTo(Map.of("who", "ann", "what", "logout"));
        List<ChangeEvent> stock = TopicReader.events(kafka.bootstrapServers(), "it.nokey.nokey.stock");
        assertThat(stock).extracting(ChangeEvent::op).containsExactly(Op.READ, Op.UPDATE, Op.DELETE);
        assertThat(stock).extracting(ChangeEvent::key).containsOnly(Map.of("sku", "A-1"));
    }

    @Test
    void aChangeThatCannotBeConvertedGoesToTheDeadLetterTopicAndCaptureGoesOn() throws Exception {
        sql("CREATE SCHEMA dlq", "CREATE TABLE dlq.t (id int PRIMARY KEY, due timestamp)");
        SourceConfig source = source("dlq", List.of("dlq.t"), Map.of());
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("dlq"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql("INSERT INTO dlq.t VALUES (1, 'infinity')", "INSERT INTO dlq.t VALUES (2, '2026-01-01 00:00:00')");
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().deadLetters()).isEqualTo(1);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
        }
        assertThat(TopicReader.events(kafka.bootstrapServers(), "it.dlq.dlq.t")).singleElement()
                .satisfies(e -> assertThat(e.after()).containsEntry("id", 2).containsEntry("due", "2026-01-01T00:00:00.000000"));
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.records(kafka.bootstrapServers(), "it.dlq.dlq.t.dlq");
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(header(r, DeadLetterHeaders.REASON)).contains("outside years 0001-9999").contains("infinity");
            assertThat(header(r, DeadLetterHeaders.ORIGIN)).startsWith("dlq ").contains("lsn");
            assertThat(header(r, DeadLetterHeaders.STAGE)).isEqualTo("ingestion");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("id=1");
        });
    }

    @Test
    void aChangeTooLargeForKafkaGoesToTheDeadLetterTopicAndCaptureGoesOn() throws Exception {
        sql("CREATE SCHEMA big", "CREATE TABLE big.t (id int PRIMARY KEY, doc text)", "INSERT INTO big.t VALUES (1, 'small')");
        KafkaConfig smallRequests = new KafkaConfig(kafka.bootstrapServers(), "it", 1, (short) 1, Map.of(),
                Map.of("max.request.size", "20000"));
        SourceConfig source = source("big", List.of("big.t"), Map.of());
        try (CdcSource cdc = new CdcSource(source, smallRequests, dir.resolve("big"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql("INSERT INTO big.t VALUES (2, repeat('x', 50000))", "INSERT INTO big.t VALUES (3, 'after')");
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
            assertThat(cdc.status().deadLetters()).isEqualTo(1);
            assertThat(cdc.status().eventsCaptured()).isEqualTo(2);
        }
        assertThat(TopicReader.events(kafka.bootstrapServers(), "it.big.big.t")).extracting(e -> e.key().get("id")).containsExactly(1, 3);
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.records(kafka.bootstrapServers(), "it.big.big.t.dlq");
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":2}");
            assertThat(r.value()).isNull();
            assertThat(header(r, DeadLetterHeaders.REASON)).startsWith("too large for Kafka").contains("max.request.size");
            assertThat(header(r, DeadLetterHeaders.KEY)).isEqualTo("{\"id\":2}");
            assertThat(Long.parseLong(header(r, DeadLetterHeaders.SIZE))).isGreaterThan(50_000L);
            assertThat(header(r, DeadLetterHeaders.ORIGIN)).startsWith("big ").contains("lsn");
            assertThat(header(r, DeadLetterHeaders.STAGE)).isEqualTo("ingestion");
        });

        // The offsets moved past the dead-lettered change: a restart neither replays nor dead-letters it again.
        sql("INSERT INTO big.t VALUES (4, 'later')");
        try (CdcSource cdc = new CdcSource(source, smallRequests, dir.resolve("big"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
        }
        assertThat(TopicReader.events(kafka.bootstrapServers(), "it.big.big.t")).extracting(e -> e.key().get("id"))
                .containsExactly(1, 3, 4);
        assertThat(TopicReader.records(kafka.bootstrapServers(), "it.big.big.t.dlq")).hasSize(1);
    }

    @Test
    void serviceReportsStatusLagAndHeartbeatsAndDropRemovesSlotAndPublication() throws Exception {
        sql("CREATE SCHEMA svc", "CREATE TABLE svc.t (id int PRIMARY KEY)", "CREATE TABLE svc.other (id serial, pad text)",
                "INSERT INTO svc.t VALUES (1)");
        SourceConfig source = source("svc", List.of("svc.t"), Map.of("heartbeat.interval.ms", "500"));
        Path dataDir = dir.resolve("svc-data");
        StatusFiles statusFiles = new StatusFiles(dataDir, IngestionService.STATUS_GROUP);
        try (IngestionService service = new IngestionService(List.of(source), kafkaConfig, dataDir, Map.of())) {
            service.start();
            service.source("svc").watermark(TIMEOUT);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(statusFiles.readAll()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo("STREAMING");
                assertThat(s.kind()).isEqualTo("postgres");
                assertThat(s.counters()).containsEntry("events", 1L).containsEntry("snapshotRows", 1L);
                assertThat(s.counters().get("lagBytes")).isNotNegative();
                assertThat(s.details()).containsKey("lastPosition").containsKey("lag");
                assertThat(s.pid()).isEqualTo(ProcessHandle.current().pid());
            }));
            // Captured table idle, WAL growing elsewhere: heartbeats move the slot's confirmed position on.
            String before = sourceRow("SELECT pg_current_wal_lsn()::text AS lsn").get("lsn").toString();
            sql("INSERT INTO svc.other (pad) SELECT repeat('x', 200) FROM generate_series(1, 20000)");
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sourceRow(
                    "SELECT confirmed_flush_lsn >= '" + before + "'::pg_lsn AS advanced FROM pg_replication_slots"
                            + " WHERE slot_name = 'lakeshift_svc'")).containsEntry("advanced", true));
        }
        assertThat(statusFiles.readAll()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo("STOPPED"));

        try (LogCapture logs = LogCapture.open();
                IngestionService again = new IngestionService(List.of(source), kafkaConfig, dataDir, Map.of())) {
            again.start();
            again.source("svc").watermark(TIMEOUT);
            assertThat(logs.text()).contains("replication slot 'lakeshift_svc' exists, reusing it")
                    .contains("publication 'lakeshift_svc' exists, reusing it");
            assertThat(again.status()).singleElement().satisfies(s -> assertThat(s.snapshotRows()).isZero());
        }

        assertThat(SourceAdmin.drop(source, dataDir)).contains("replication slot lakeshift_svc", "publication lakeshift_svc");
        assertThat(sourceRow("SELECT count(*) AS n FROM pg_replication_slots WHERE slot_name = 'lakeshift_svc'")).containsEntry("n", 0L);
        assertThat(sourceRow("SELECT count(*) AS n FROM pg_publication WHERE pubname = 'lakeshift_svc'")).containsEntry("n", 0L);
        assertThat(IngestionService.offsetsDir(dataDir).resolve("svc.offsets")).doesNotExist();
        assertThat(statusFiles.readAll()).isEmpty();
    }

    @Test
    void aBadPasswordGivesAClearErrorWithoutThePasswordAnywhere() throws Exception {
        String good = "Sup3r-S3cret-pw";
        String bad = "Wrong-pw-Zq81";
        sql("CREATE SCHEMA cred", "CREATE TABLE cred.t (id int PRIMARY KEY)",
                "CREATE ROLE cdc_user WITH LOGIN REPLICATION PASSWORD '" + good + "'", "ALTER SCHEMA cred OWNER TO cdc_user",
                "ALTER TABLE cred.t OWNER TO cdc_user", "GRANT CREATE ON DATABASE postgres TO cdc_user");
        Path hba = dir.resolve("pg").resolve("pg_hba.conf");
        Files.writeString(hba, "host all cdc_user 127.0.0.1/32 scram-sha-256\nhost replication cdc_user 127.0.0.1/32 scram-sha-256\n"
                + Files.readString(hba));
        sql("SELECT pg_reload_conf()");

        SourceConfig wrong = new SourceConfig("cred", "postgres", "127.0.0.1", postgres.getPort(), "postgres", "cdc_user",
                Secret.of(bad), List.of("cred.t"), "initial", Map.of(), null, Map.of());
        try (LogCapture logs = LogCapture.open();
                CdcSource cdc = new CdcSource(wrong, kafkaConfig, dir.resolve("cred"), Map.of())) {
            cdc.start();
            await().atMost(TIMEOUT).until(() -> cdc.status().state() == SourceState.FAILED);
            SourceStatus status = cdc.status();
            assertThat(status.error()).contains("password authentication failed for user \"cdc_user\"").doesNotContain(bad);
            String statusJson = new ObjectMapper().writeValueAsString(status.toComponentStatus(1, 1));
            assertThat(statusJson).contains("password authentication failed").doesNotContain(bad);
            assertThat(logs.text()).contains("password authentication failed").doesNotContain(bad);
            assertThat(wrong.toString()).doesNotContain(bad);
        }

        Path secretFile = dir.resolve("cdc-password");
        Files.writeString(secretFile, good + "\n");
        SourceConfig right = new SourceConfig("cred", "postgres", "127.0.0.1", postgres.getPort(), "postgres", "cdc_user",
                Secret.parse("file:" + secretFile), List.of("cred.t"), "initial", Map.of(), null, Map.of());
        try (LogCapture logs = LogCapture.open();
                CdcSource cdc = new CdcSource(right, kafkaConfig, dir.resolve("cred-ok"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
            assertThat(logs.text()).contains("database.password").doesNotContain(good);
        }
    }

    private static SourceConfig source(String name, List<String> tables, Map<String, String> properties) {
        return new SourceConfig(name, "postgres", "127.0.0.1", postgres.getPort(), "postgres", "postgres", Secret.of("unused"),
                tables, "initial", properties, null, Map.of());
    }

    /** The newest row image per key, by source position: what a sink applying the topic ends with. */
    static Map<Object, Map<String, Object>> finalRows(List<ChangeEvent> events) {
        Map<Object, ChangeEvent> newest = new HashMap<>();
        Comparator<ChangeEvent> bySeq = Comparator.comparingLong((ChangeEvent e) -> e.source().seqHigh())
                .thenComparingLong(e -> e.source().seqLow());
        for (ChangeEvent e : events) {
            newest.merge(e.key().get("id"), e, (a, b) -> bySeq.compare(b, a) >= 0 ? b : a);
        }
        Map<Object, Map<String, Object>> rows = new HashMap<>();
        newest.forEach((id, e) -> {
            if (e.op() != Op.DELETE) {
                rows.put(id, e.after());
            }
        });
        return rows;
    }

    static Map<Object, Map<String, Object>> sourceRows(String query) throws Exception {
        Map<Object, Map<String, Object>> rows = new HashMap<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                rows.put(rs.getObject(1), row);
            }
        }
        return rows;
    }

    private static Map<String, Object> sourceRow(String query) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            assertThat(rs.next()).as(query).isTrue();
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
            }
            return row;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            TestServers.execute(c, statements);
        }
    }
}
