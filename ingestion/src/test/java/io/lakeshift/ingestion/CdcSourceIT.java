package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.testing.SharedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real PostgreSQL (logical replication) and a real in-process Kafka broker; no mocks. */
@ExtendWith(SharedKafka.class)
class CdcSourceIT {

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static KafkaClusterTestKit kafka;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "4").setServerConfig("max_wal_senders", "4").start();
        kafka = SharedKafka.broker();
        sql("CREATE SCHEMA shop",
                "CREATE TABLE shop.items (id bigint PRIMARY KEY, price numeric(12,2), sold_at timestamptz, made timestamp,"
                        + " day date, ok boolean, label text, doc jsonb, raw bytea, ref uuid)",
                "CREATE TABLE shop.audit (who text, what text)",
                "INSERT INTO shop.items VALUES (1, 10.50, '2026-01-02 03:04:05.123456+00', '2026-01-02 03:04:05.654321',"
                        + " '2026-01-02', true, 'Zoë', '{\"k\": 1}', '\\x00ff', '0b0c1d2e-3f40-4152-8364-758697a8b9ca')",
                "INSERT INTO shop.items (id) VALUES (2)");
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void snapshotThenStreamingThenResumeFromStoredOffsets() throws Exception {
        KafkaConfig kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "it", 1, (short) 1, Map.of(), Map.of());
        SourceConfig source = new SourceConfig("shop", "postgres", "127.0.0.1", postgres.getPort(), "postgres", "postgres",
                Secret.of("unused"), List.of("shop.items", "shop.audit"), "initial", Map.of(), null, Map.of());
        Path offsets = dir.resolve("offsets");

        try (CdcSource cdc = new CdcSource(source, kafkaConfig, offsets, Map.of())) {
            cdc.start();
            awaitWatermark(cdc); // the snapshot is done: what follows is streamed
            sql("UPDATE shop.items SET price = 11.75, label = 'Zoë « 李 »' WHERE id = 1",
                    "DELETE FROM shop.items WHERE id = 2",
                    "INSERT INTO shop.audit VALUES ('ann', 'delete 2')");
            awaitWatermark(cdc);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
        }

        List<ChangeEvent> items = consume("it.shop.shop.items");
        assertThat(items).extracting(ChangeEvent::op).containsExactly(Op.READ, Op.READ, Op.UPDATE, Op.DELETE);
        ChangeEvent first = items.get(0);
        assertThat(first.key()).containsEntry("id", 1);
        assertThat(first.after())
                .containsEntry("price", "10.50")
                .containsEntry("sold_at", "2026-01-02T03:04:05.123456Z")
                .containsEntry("made", "2026-01-02T03:04:05.654321")
                .containsEntry("day", "2026-01-02")
                .containsEntry("ok", true)
                .containsEntry("doc", "{\"k\": 1}")
                .containsEntry("raw", "AP8=")
                .containsEntry("ref", "0b0c1d2e-3f40-4152-8364-758697a8b9ca");
        assertThat(items.get(1).after()).containsEntry("price", null).containsEntry("label", null);
        assertThat(items.get(2).after()).containsEntry("price", "11.75").containsEntry("label", "Zoë « 李 »");
        assertThat(items.get(3).before()).containsEntry("id", 2);
        assertThat(items.get(2).source().seqHigh()).isGreaterThan(first.source().seqHigh());

        List<ChangeEvent> audit = consume("it.shop.shop.audit");
        assertThat(audit).singleElement().satisfies(e -> assertThat(e.key()).containsEntry("who", "ann").containsEntry("what", "delete 2"));

        // Changes made while the source was stopped arrive after a restart, without a second snapshot.
        sql("INSERT INTO shop.items (id, label) VALUES (3, 'while stopped')");
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, offsets, Map.of())) {
            cdc.start();
            awaitWatermark(cdc);
        }
        List<ChangeEvent> after = consume("it.shop.shop.items");
        List<ChangeEvent> resumed = after.subList(items.size(), after.size());
        assertThat(resumed).extracting(ChangeEvent::op).doesNotContain(Op.READ).contains(Op.CREATE);
        assertThat(resumed).filteredOn(e -> e.op() == Op.CREATE).singleElement()
                .satisfies(e -> assertThat(e.after()).containsEntry("label", "while stopped"));
    }

    private static void awaitWatermark(CdcSource cdc) throws Exception {
        assertThat(cdc.watermark(Duration.ofSeconds(60))).isNotBlank();
    }

    private static List<ChangeEvent> consume(String topic) {
        return TopicReader.events(kafka.bootstrapServers(), topic);
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
