package io.lakeshift.camel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.camel.CamelSources;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.testing.SharedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL table whose schema, table and column names only work quoted (spaces, mixed case,
 * a reserved word, a quote inside a name), polled into a real in-process Kafka broker.
 */
@ExtendWith(SharedKafka.class)
class JdbcQuotedNamesIT {

    static KafkaTestBroker kafka;
    static EmbeddedPostgres pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestBroker.shared();
        pg = EmbeddedPostgres.builder().setServerConfig("timezone", "UTC").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void pollsATableWhoseNamesNeedQuotingWithEveryValueBound() throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA \"Weird Schema\"");
            st.execute("CREATE TABLE \"Weird Schema\".\"Order Lines\" (\"Id\" bigint PRIMARY KEY, \"order\" bigint NOT NULL,"
                    + " \"a \"\"quoted\"\" col\" text)");
            // "order" (the watermark) ties across rows, so rows after a watermark are found by watermark and key
            st.execute("INSERT INTO \"Weird Schema\".\"Order Lines\" VALUES (1, 10, 'x'), (2, 10, 'it''s'), (3, 20, NULL),"
                    + " (4, 20, '\"q\"'), (5, 30, 'y')");
        }
        LakeshiftConfig config = TestConfigs.load(dir.resolve("data"), kafka.bootstrapServers(), """
                  - name: weird_lines
                    kind: jdbc
                    tables: [weird.order_lines]
                    username: postgres
                    password: postgres
                    settings:
                      url: "%s"
                      sourceSchema: Weird Schema
                      sourceTable: Order Lines
                      watermarkColumn: order
                      batchSize: 2
                      pollIntervalMs: 200
                """.formatted(pg.getJdbcUrl("postgres", "postgres")));

        try (CamelSources sources = CamelSources.create(config, Duration.ofSeconds(10))) {
            sources.start(config.kafka());
            await().atMost(Duration.ofSeconds(90)).until(() -> sources.monitor("weird_lines").counter("records") == 5);
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("UPDATE \"Weird Schema\".\"Order Lines\" SET \"order\" = 40, \"a \"\"quoted\"\" col\" = 'z' WHERE \"Id\" = 2");
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> sources.monitor("weird_lines").counter("records") == 6);
        }

        List<ChangeEvent> events = kafka.events("it.weird_lines.weird.order_lines", 6);
        assertThat(events).extracting(e -> ((Number) e.key().get("Id")).intValue()).containsExactly(1, 2, 3, 4, 5, 2);
        assertThat(events.get(1).after()).containsEntry("order", 10).containsEntry("a \"quoted\" col", "it's");
        assertThat(events.get(3).after()).containsEntry("a \"quoted\" col", "\"q\"");
        assertThat(events.get(5).after()).containsEntry("order", 40).containsEntry("a \"quoted\" col", "z");
        assertThat(events.get(0).columns()).extracting(col -> col.name())
                .containsExactly("Id", "order", "a \"quoted\" col");
        assertThat(events.get(0).columns()).extracting(col -> col.type())
                .containsExactly(LogicalType.INT64, LogicalType.INT64, LogicalType.STRING);
        assertThat(events.get(5).source().position()).isEqualTo("order=40 Id=2");
    }
}
