package io.lakeshift.camel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.camel.CamelSources;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.testing.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A real H2 database polled by its updated_at column into a real in-process Kafka broker. */
@ExtendWith(SharedKafka.class)
class JdbcSourceIT {

    static KafkaTestBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaTestBroker.shared();
    }

    @Test
    void pollsByWatermarkAcrossARestartWithoutReReadingWhatKafkaAcknowledged() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("legacy") + ";DB_CLOSE_DELAY=0";
        LocalDateTime base = LocalDateTime.of(2026, 1, 1, 8, 0);
        try (Connection c = DriverManager.getConnection(url, "sa", "sa"); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA shop");
            st.execute("CREATE TABLE shop.items (id BIGINT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2),"
                    + " updated_at TIMESTAMP NOT NULL)");
            // rows in threes share a watermark, so ties straddle the batches of ten
            for (int i = 1; i <= 25; i++) {
                insert(c, i, "item " + i, i + ".50", base.plusSeconds(i / 3));
            }
        }
        LakeshiftConfig config = TestConfigs.load(dir.resolve("data"), kafka.bootstrapServers(), """
                  - name: legacy_shop
                    kind: jdbc
                    tables: [shop.items]
                    username: sa
                    password: sa
                    settings:
                      url: "%s"
                      watermarkColumn: updated_at
                      batchSize: 10
                      pollIntervalMs: 200
                """.formatted(url));
        String topic = "it.legacy_shop.shop.items";

        try (CamelSources sources = CamelSources.create(config, Duration.ofSeconds(10))) {
            sources.start(config.kafka());
            await().atMost(Duration.ofSeconds(90)).until(() -> sources.monitor("legacy_shop").counter("records") == 25);
        }
        Path watermark = config.dataDir().resolve("camel/legacy_shop/watermark.json");
        assertThat(Files.readString(watermark)).contains("2026-01-01T08:00:08.000000").contains("25");

        try (Connection c = DriverManager.getConnection(url, "sa", "sa"); Statement st = c.createStatement()) {
            for (int i = 26; i <= 30; i++) {
                insert(c, i, "item " + i, i + ".50", base.plusSeconds(60 + i));
            }
            st.execute("UPDATE shop.items SET price = 99.99, updated_at = TIMESTAMP '2026-01-01 09:00:00' WHERE id IN (3, 7)");
        }
        try (CamelSources sources = CamelSources.create(config, Duration.ofSeconds(10))) {
            sources.start(config.kafka());
            await().atMost(Duration.ofSeconds(90)).until(() -> sources.monitor("legacy_shop").counter("records") == 7);
        }

        List<ChangeEvent> events = kafka.events(topic, 32);
        assertThat(events).hasSize(32);
        assertThat(events.subList(0, 25)).extracting(e -> ((Number) e.key().get("ID")).intValue())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 25).boxed().toList());
        Set<Integer> afterRestart = events.subList(25, 32).stream().map(e -> ((Number) e.key().get("ID")).intValue())
                .collect(Collectors.toSet());
        assertThat(afterRestart).containsExactlyInAnyOrder(26, 27, 28, 29, 30, 3, 7);
        ChangeEvent updated = events.stream().filter(e -> e.key().get("ID").equals(3) && "99.99".equals(e.after().get("PRICE")))
                .findFirst().orElseThrow();
        assertThat(updated.after()).containsEntry("UPDATED_AT", "2026-01-01T09:00:00.000000").containsEntry("NAME", "item 3");
        assertThat(updated.source().system()).isEqualTo("jdbc");
        assertThat(updated.source().position()).isEqualTo("updated_at=2026-01-01T09:00:00.000000 ID=3");
        ChangeEvent firstOfRowThree = events.get(2);
        assertThat(updated.source().seqHigh()).isGreaterThan(firstOfRowThree.source().seqHigh());
        assertThat(updated.columns()).extracting(col -> col.type())
                .containsExactly(LogicalType.INT64, LogicalType.STRING, LogicalType.decimal(10, 2), LogicalType.TIMESTAMP);
    }

    private static void insert(Connection c, int id, String name, String price, LocalDateTime updatedAt) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO shop.items VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, name);
            ps.setBigDecimal(3, new java.math.BigDecimal(price));
            ps.setTimestamp(4, Timestamp.valueOf(updatedAt));
            ps.executeUpdate();
        }
    }
}
