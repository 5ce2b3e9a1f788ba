package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.config.SourceTls;
import io.lakeshift.core.testing.TestCertificates;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorTlsTest {

    @TempDir
    Path dir;

    private final KafkaConfig kafka = new KafkaConfig("localhost:9092", "t", 1, (short) 1, Map.of(), Map.of());

    @Test
    void withoutTlsTheConnectorKeepsItsDefault() {
        Properties p = ConnectorProperties.of(source("postgres", null), kafka, dir, SourceDialect.of(source("postgres", null)));

        assertThat(p.stringPropertyNames()).noneMatch(k -> k.startsWith("database.ssl"));
    }

    @Test
    void postgresTakesTheModeAndThePemFileAsTheyAre() {
        assertThat(properties("postgres", new SourceTls("verify-full", "/etc/ca.pem")))
                .containsEntry("database.sslmode", "verify-full").containsEntry("database.sslrootcert", "/etc/ca.pem");
        assertThat(properties("postgres", new SourceTls("verify-ca", "/etc/ca.pem"))).containsEntry("database.sslmode", "verify-ca");
        assertThat(properties("postgres", new SourceTls("require", null)))
                .containsEntry("database.sslmode", "require").doesNotContainKey("database.sslrootcert");
        assertThat(properties("postgres", new SourceTls("disable", "/etc/ca.pem")))
                .containsEntry("database.sslmode", "disable").doesNotContainKey("database.sslrootcert");
    }

    @Test
    void binlogSourcesTakeMysqlModeNames() {
        for (String kind : List.of("mysql", "mariadb")) {
            assertThat(properties(kind, new SourceTls("disable", null))).containsEntry("database.ssl.mode", "disabled");
            assertThat(properties(kind, new SourceTls("require", null))).containsEntry("database.ssl.mode", "required")
                    .doesNotContainKey("database.ssl.truststore");
        }
    }

    @Test
    void binlogVerifyModesGetAnOwnerOnlyTruststoreInTheStateFolder() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        Properties p = properties("mysql", new SourceTls("verify-full", certs.caPem().toString()));

        assertThat(p).containsEntry("database.ssl.mode", "verify_identity")
                .containsEntry("database.ssl.truststore", dir.resolve("shop.truststore.p12").toString());
        Path store = Path.of(p.getProperty("database.ssl.truststore"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            trust.load(in, p.getProperty("database.ssl.truststore.password").toCharArray());
        }
        assertThat(trust.size()).isEqualTo(1);
        assertThat(properties("mariadb", new SourceTls("verify-ca", certs.caPem().toString())))
                .containsEntry("database.ssl.mode", "verify_ca");
    }

    private Properties properties(String kind, SourceTls tls) {
        SourceConfig source = source(kind, tls);
        return ConnectorProperties.of(source, kafka, dir, SourceDialect.of(source));
    }

    private static SourceConfig source(String kind, SourceTls tls) {
        return new SourceConfig("shop", kind, "db.example", 0, "shop", "cdc", Secret.of("pw"), List.of("shop.items"), null,
                Map.of(), null, Map.of(), tls);
    }
}
