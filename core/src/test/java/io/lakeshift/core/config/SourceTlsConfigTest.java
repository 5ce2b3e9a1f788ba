package io.lakeshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTlsConfigTest {

    @TempDir
    Path dir;

    @Test
    void tlsIsReadFromTheSourceAndAbsentByDefault() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        LakeshiftConfig config = ConfigLoader.load(sourceFile("""
                    tls:
                      mode: verify-full
                      caFile: %s
                """.formatted(ca)), dir, List.of());

        assertThat(config.sources().get(0).tls()).isEqualTo(new SourceTls("verify-full", ca.toString()));
        assertThat(ConfigLoader.load(sourceFile(""), dir, List.of()).sources().get(0).tls()).isNull();
    }

    @Test
    void anUnknownModeIsRefusedNamingTheKey() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(sourceFile("""
                    tls:
                      mode: verify
                """), dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sources[0].tls.mode: 'verify' is not a mode")
                .hasMessageContaining("verify-full");
    }

    @Test
    void verifyModesNeedAReadableCaFile() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(sourceFile("""
                    tls:
                      mode: verify-ca
                """), dir, List.of()))
                .hasMessageContaining("sources[0].tls.caFile: is required by mode verify-ca");
        assertThatThrownBy(() -> ConfigLoader.load(sourceFile("""
                    tls:
                      mode: verify-full
                      caFile: %s
                """.formatted(dir.resolve("missing.pem"))), dir, List.of()))
                .hasMessageContaining("sources[0].tls.caFile: '" + dir.resolve("missing.pem") + "' is not a readable file");
    }

    @Test
    void unknownKeysUnderTlsAreRefused() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(sourceFile("""
                    tls:
                      mode: require
                      sslmode: require
                """), dir, List.of()))
                .hasMessageContaining("sources[0].tls.sslmode");
    }

    @Test
    void tlsOnAFileSourceIsRefused() throws Exception {
        Path file = dir.resolve("drops.yaml");
        Files.writeString(file, """
                sources:
                  - name: drops
                    kind: file
                    tables: [sales.orders]
                    tls: {mode: require}
                pipelines: []
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file, dir, List.of()))
                .hasMessageContaining("sources[0].tls: applies to database sources (postgres, mysql, mariadb, jdbc), not to a file source");
    }

    @Test
    void requireNeedsNoCaFile() throws Exception {
        LakeshiftConfig config = ConfigLoader.load(sourceFile("""
                    tls:
                      mode: require
                """), dir, List.of());

        assertThat(config.sources().get(0).tls().verifies()).isFalse();
        assertThat(config.sources().get(0).toString()).contains("tls=SourceTls[mode=require, caFile=null]");
    }

    private Path sourceFile(String tls) throws Exception {
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                sources:
                  - name: erp
                    kind: postgres
                    host: db.example
                    database: erp
                    username: cdc
                    password: pw
                    tables: [public.customers]
                %spipelines: []
                """.formatted(tls));
        return file;
    }
}
