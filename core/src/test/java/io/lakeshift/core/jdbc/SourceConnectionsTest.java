package io.lakeshift.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.config.SourceTls;
import io.lakeshift.core.testing.TestCertificates;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceConnectionsTest {

    @TempDir
    Path dir;

    @Test
    void withoutTlsOnlyUserAndPasswordAreSetSoTheDriverDefaultHolds() {
        Properties props = SourceConnections.properties(source("postgres", null));

        assertThat(props).containsOnly(Map.entry("user", "cdc"), Map.entry("password", "s3cret"));
    }

    @Test
    void postgresModesBecomePgjdbcProperties() {
        assertThat(SourceConnections.properties(source("postgres", new SourceTls("disable", null))))
                .containsEntry("sslmode", "disable").doesNotContainKeys("ssl", "sslrootcert");
        assertThat(SourceConnections.properties(source("postgres", new SourceTls("require", null))))
                .containsEntry("ssl", "true").containsEntry("sslmode", "require").doesNotContainKey("sslrootcert");
        assertThat(SourceConnections.properties(source("postgres", new SourceTls("verify-ca", "/etc/ca.pem"))))
                .containsEntry("ssl", "true").containsEntry("sslmode", "verify-ca").containsEntry("sslrootcert", "/etc/ca.pem");
        assertThat(SourceConnections.properties(source("postgres", new SourceTls("verify-full", "/etc/ca.pem"))))
                .containsEntry("sslmode", "verify-full").containsEntry("sslrootcert", "/etc/ca.pem")
                .containsEntry("user", "cdc").containsEntry("password", "s3cret");
    }

    @Test
    void mysqlAndMariaDbModesBecomeConnectorJProperties() {
        for (String kind : List.of("mysql", "mariadb")) {
            assertThat(SourceConnections.properties(source(kind, new SourceTls("disable", null))))
                    .containsEntry("sslMode", "DISABLED").doesNotContainKey("trustCertificateKeyStoreUrl");
            assertThat(SourceConnections.properties(source(kind, new SourceTls("require", null))))
                    .containsEntry("sslMode", "REQUIRED").doesNotContainKey("trustCertificateKeyStoreUrl");
        }
        assertThat(SourceConnections.mysqlMode("verify-ca")).isEqualTo("verify_ca");
        assertThat(SourceConnections.mysqlMode("verify-full")).isEqualTo("verify_identity");
    }

    @Test
    void mysqlVerifyModesGetAnOwnerOnlyPkcs12TruststoreOfTheCaFile() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        Properties props = SourceConnections.properties(source("mysql", new SourceTls("verify-full", certs.caPem().toString())));

        assertThat(props).containsEntry("sslMode", "VERIFY_IDENTITY").containsEntry("trustCertificateKeyStoreType", "PKCS12");
        Path store = Path.of(URI.create(props.getProperty("trustCertificateKeyStoreUrl")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            trust.load(in, props.getProperty("trustCertificateKeyStorePassword").toCharArray());
        }
        assertThat(trust.size()).isEqualTo(1);
        assertThat(props.getProperty("trustCertificateKeyStorePassword")).hasSizeGreaterThanOrEqualTo(24);
        // the same CA file in the same process: the same store, not a new file per connection
        assertThat(SourceConnections.properties(source("mysql", new SourceTls("verify-ca", certs.caPem().toString()))))
                .containsEntry("trustCertificateKeyStoreUrl", props.getProperty("trustCertificateKeyStoreUrl"))
                .containsEntry("sslMode", "VERIFY_CA");
    }

    @Test
    void theTruststorePasswordIsNeverPrinted() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        PemTrustStore store = PemTrustStore.write(certs.caPem(), dir.resolve("s.p12"));

        assertThat(store.toString()).doesNotContain(store.password()).contains("****");
    }

    @Test
    void sparkOptionsAreTheSameProperties() {
        assertThat(SourceConnections.options(source("postgres", new SourceTls("require", null))))
                .containsEntry("user", "cdc").containsEntry("password", "s3cret").containsEntry("sslmode", "require");
    }

    @Test
    void tlsOnAnUnknownDriverIsAClearError() {
        SourceConfig polled = new SourceConfig("legacy", "jdbc", null, 0, null, "u", Secret.of("p"), List.of(), null, Map.of(),
                null, Map.of(), new SourceTls("require", null));

        assertThat(SourceConnections.supportsTls("jdbc:h2:mem:x")).isFalse();
        assertThatThrownBy(() -> SourceConnections.properties(polled, "jdbc:h2:mem:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source 'legacy'").hasMessageContaining("tls");
        assertThat(SourceConnections.properties(polled, "jdbc:postgresql://db/x")).containsEntry("sslmode", "require");
    }

    private static SourceConfig source(String kind, SourceTls tls) {
        return new SourceConfig("shop", kind, "db.example", 0, "shop", "cdc", Secret.of("s3cret"), List.of("shop.items"),
                null, Map.of(), null, Map.of(), tls);
    }
}
