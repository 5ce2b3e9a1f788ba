package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.config.SourceTls;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.jdbc.SourceConnections;
import io.lakeshift.core.testing.SharedKafka;
import io.lakeshift.core.testing.TestCertificates;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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

/**
 * A PostgreSQL server that accepts TLS connections only (pg_hba.conf: {@code hostssl}, plain TCP
 * rejected), with a certificate from a test CA: a source with {@code tls} captures it, Debezium's
 * connections and Lakeshift's own alike, and a wrong CA or a plain connection is refused.
 */
@ExtendWith(SharedKafka.class)
class PostgresTlsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PASSWORD = "Tls-S3cret-pw";

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static KafkaClusterTestKit kafka;
    static TestCertificates certs;
    static KafkaConfig kafkaConfig;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        Path data = dir.resolve("pg");
        postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical").setServerConfig("max_replication_slots", "4")
                .setServerConfig("max_wal_senders", "4").setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", certs.serverCertPem().toString())
                .setServerConfig("ssl_key_file", certs.serverKeyPem().toString())
                .start();
        kafka = SharedKafka.broker();
        kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "tls", 1, (short) 1, Map.of(), Map.of());
        // Set up over the last plain connection, then allow TLS only.
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER ROLE postgres PASSWORD '" + PASSWORD + "'");
            st.execute("CREATE SCHEMA shop");
            st.execute("CREATE TABLE shop.items (id int PRIMARY KEY, label text)");
            st.execute("INSERT INTO shop.items VALUES (1, 'before')");
            Files.writeString(data.resolve("pg_hba.conf"), """
                    local     all         all                 trust
                    hostssl   all         all  127.0.0.1/32   scram-sha-256
                    hostssl   replication all  127.0.0.1/32   scram-sha-256
                    hostnossl all         all  0.0.0.0/0      reject
                    hostnossl replication all  0.0.0.0/0      reject
                    """);
            st.execute("SELECT pg_reload_conf()");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void verifyFullSnapshotsAndStreamsOverTls() throws Exception {
        SourceConfig source = source("verified", new SourceTls("verify-full", certs.caPem().toString()));

        try (Connection c = SourceConnections.open(source)) {
            assertThat(single(c, "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isEqualTo("true");
        }
        try (LogCapture logs = LogCapture.open();
                CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("verified"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT); // the snapshot is done; the watermark is read over Lakeshift's own connection
            sql("INSERT INTO shop.items VALUES (2, 'streamed')");
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
            // Debezium's replication connection is encrypted too
            assertThat(sql1("SELECT count(*)::text FROM pg_stat_replication r JOIN pg_stat_ssl s ON s.pid = r.pid"
                    + " WHERE s.ssl")).isNotEqualTo("0");
            assertThat(logs.text()).doesNotContain(PASSWORD);
        }

        List<ChangeEvent> items = TopicReader.events(kafka.bootstrapServers(), "tls.verified.shop.items");
        assertThat(items).extracting(ChangeEvent::op).containsExactly(Op.READ, Op.CREATE);
        assertThat(items.get(1).after()).containsEntry("id", 2).containsEntry("label", "streamed");
    }

    @Test
    void aCaThatDidNotSignTheServerCertificateIsRefusedWithoutAPlainFallback() throws Exception {
        TestCertificates other = TestCertificates.create(dir.resolve("other-ca"));
        SourceConfig source = source("wrongca", new SourceTls("verify-full", other.caPem().toString()));

        assertThatThrownBy(() -> SourceConnections.open(source).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("SSL");
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("wrongca"), Map.of())) {
            cdc.start();
            await().atMost(TIMEOUT).until(() -> cdc.status().state() == SourceState.FAILED);
            assertThat(cdc.status().error()).contains("SSL").containsAnyOf("certification path", "PKIX")
                    .contains("caFile " + other.caPem())
                    .doesNotContain("pg_hba.conf").doesNotContain(PASSWORD);
        }
    }

    @Test
    void modeDisableAgainstATlsOnlyServerIsRefused() throws Exception {
        SourceConfig source = source("plain", new SourceTls("disable", null));

        assertThatThrownBy(() -> SourceConnections.open(source).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("pg_hba.conf");
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("plain"), Map.of())) {
            cdc.start();
            await().atMost(TIMEOUT).until(() -> cdc.status().state() == SourceState.FAILED);
            assertThat(cdc.status().error()).contains("pg_hba.conf").doesNotContain(PASSWORD);
        }
    }

    private static SourceConfig source(String name, SourceTls tls) {
        return new SourceConfig(name, "postgres", "127.0.0.1", postgres.getPort(), "postgres", "postgres", Secret.of(PASSWORD),
                List.of("shop.items"), "initial", Map.of(), null, Map.of(), tls);
    }

    /** A TLS connection for the test's own statements (plain ones are refused now). */
    private static Connection admin() throws SQLException {
        return SourceConnections.open(source("admin", new SourceTls("require", null)));
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static String sql1(String query) throws SQLException {
        try (Connection c = admin()) {
            return single(c, query);
        }
    }

    private static String single(Connection c, String query) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
