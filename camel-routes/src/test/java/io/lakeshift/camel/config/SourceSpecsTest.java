package io.lakeshift.camel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeshift.camel.record.RecordFormat;
import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.LogicalType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSpecsTest {

    @TempDir
    Path dir;

    private LakeshiftConfig load(String sources) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "sources:\n" + sources);
        return ConfigLoader.load(file, dir, List.of());
    }

    @Test
    void bindsEveryKindWithItsDefaults() throws Exception {
        List<SourceSpec> specs = SourceSpecs.of(load("""
                  - {name: pg, kind: postgres, host: h, port: 5432, database: d, username: u, tables: [a.b], snapshotMode: initial}
                  - name: drops
                    kind: file
                    port: 0
                    tables: [retail.orders]
                    settings: {directory: /in, delimiter: tab, columns: [{name: id, type: int64}]}
                  - name: poll
                    kind: jdbc
                    port: 0
                    tables: [shop.items]
                    settings: {url: "jdbc:h2:mem:x", watermarkColumn: updated_at}
                  - name: queue
                    kind: jms
                    port: 0
                    tables: [pay.transfers]
                    settings: {brokerUrl: "tcp://mq:61616", queue: q, columns: [{name: id, type: int64}]}
                """));
        assertThat(specs).extracting(SourceSpec::name).containsExactly("drops", "poll", "queue");
        SourceSpec.File file = (SourceSpec.File) specs.get(0);
        assertThat(file.table().topic()).isEqualTo("lakeshift.drops.retail.orders");
        assertThat(file.layout().format()).isEqualTo(RecordFormat.CSV);
        assertThat(file.layout().delimiter()).isEqualTo('\t');
        assertThat(file.layout().header()).isTrue();
        assertThat(file.layout().columns().get(0).type()).isEqualTo(LogicalType.INT64);
        assertThat(file.settings().pickup()).isEqualTo("stable");
        assertThat(file.settings().batchSize()).isEqualTo(1000);
        assertThat(((SourceSpec.Jdbc) specs.get(1)).settings().pollIntervalMs()).isEqualTo(5000);
        assertThat(((SourceSpec.Jms) specs.get(2)).layout().format()).isEqualTo(RecordFormat.JSONL);
    }

    @Test
    void reportsEveryProblemWithItsKey() throws Exception {
        LakeshiftConfig config = load("""
                  - name: drops
                    kind: file
                    port: 0
                    tables: [orders]
                    settings:
                      delimiter: ";;"
                      format: xml
                      colums: []
                  - name: fixed
                    kind: file
                    port: 0
                    tables: [a.b]
                    settings:
                      directory: /in
                      format: fixed-width
                      pickup: sometimes
                      key: [nope]
                      columns:
                        - {name: id, type: int65, offset: 0}
                        - {name: at, type: date, format: "dd.MM.yyyy", offset: 2, length: 8}
                  - name: poll
                    kind: jdbc
                    port: 0
                    tables: [a.b]
                    settings: {batchSize: 0}
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SourceSpecs.of(config));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("sources[0].tables: a file source feeds exactly one table"))
                .anySatisfy(p -> assertThat(p).startsWith("sources[0].settings.colums: unknown key"))
                .anySatisfy(p -> assertThat(p).startsWith("sources[1].settings.pickup: must be stable or done-marker"))
                .anySatisfy(p -> assertThat(p).startsWith("sources[1].settings.columns[0].type: unknown logical type 'int65'"))
                .anySatisfy(p -> assertThat(p).startsWith("sources[1].settings.columns[0].length: is required for fixed-width"))
                .anySatisfy(p -> assertThat(p).startsWith("sources[1].settings.key: 'nope' is not a declared column"))
                .anySatisfy(p -> assertThat(p).startsWith("sources[2].settings.watermarkColumn: is required"))
                .anySatisfy(p -> assertThat(p).startsWith("sources[2].settings.batchSize: must be positive"));
        assertThat(e.problems()).noneMatch(p -> p.contains("columns[1]"));
    }

    @Test
    void tlsOnAPolledUrlOfAnotherDriverIsRefusedNamingTheKey() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SourceSpecs.of(load("""
                  - name: legacy
                    kind: jdbc
                    tables: [app.orders]
                    tls: {mode: require}
                    settings: {url: "jdbc:h2:mem:x", watermarkColumn: updated_at}
                """)));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("sources[0].tls: Lakeshift sets TLS on"
                + " jdbc:postgresql: and jdbc:mysql: URLs only"));
        assertThat(SourceSpecs.of(load("""
                  - name: legacy
                    kind: jdbc
                    tables: [app.orders]
                    tls: {mode: require}
                    settings: {url: "jdbc:postgresql://db/app", watermarkColumn: updated_at}
                """))).hasSize(1);
    }

    @Test
    void settingsOfAValidTableAreCheckedToo() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SourceSpecs.of(load("""
                  - name: drops
                    kind: file
                    port: 0
                    tables: [a.b]
                    settings: {directory: /in, delimiter: ";;", format: xml, charset: EBCDIC-42, quote: ";"}
                """)));
        assertThat(e.problems()).contains(
                "sources[0].settings.format: must be one of [csv, fixed-width, jsonl]",
                "sources[0].settings.charset: unknown charset 'EBCDIC-42'",
                "sources[0].settings.delimiter: must be one character, got ';;'");
    }

    @Test
    void anSftpDirectoryNeedsALoginAndAHostKeyCheck() throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "drops.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SourceSpecs.of(load("""
                  - name: nologin
                    kind: file
                    port: 0
                    tables: [a.b]
                    settings: {directory: "sftp://drops.example.com/in", knownHostsFile: "%s"}
                  - name: twochecks
                    kind: file
                    port: 0
                    tables: [a.b]
                    username: u
                    password: p
                    settings: {directory: "sftp://drops.example.com:2222/in", hostKey: "ssh-ed25519 AAAAC3Nza", insecureAcceptAnyHostKey: true}
                  - name: badlocation
                    kind: file
                    port: 0
                    tables: [a.b]
                    username: u
                    password: p
                    settings: {directory: "sftp://u@drops.example.com:99999/", knownHostsFile: "%s", hostKey: "not a key"}
                  - name: noknownhosts
                    kind: file
                    port: 0
                    tables: [a.b]
                    username: u
                    password: p
                    settings: {directory: "sftp://drops.example.com/in", knownHostsFile: "%s"}
                  - name: local
                    kind: file
                    port: 0
                    tables: [a.b]
                    settings: {directory: /in, hostKey: "ssh-ed25519 AAAAC3Nza", insecureAcceptAnyHostKey: true}
                """.formatted(knownHosts, knownHosts, dir.resolve("missing_known_hosts")))));
        assertThat(e.problems()).contains(
                "sources[0].username: is required for an sftp:// directory",
                "sources[0].password: or settings.privateKeyFile is required for an sftp:// directory",
                "sources[1].settings.hostKey: set at most one of hostKey, knownHostsFile and insecureAcceptAnyHostKey",
                "sources[2].settings.directory: must be sftp://host[:port]/path, got 'sftp://u@drops.example.com:99999/'",
                "sources[2].settings.hostKey: set at most one of hostKey, knownHostsFile and insecureAcceptAnyHostKey",
                "sources[4].settings.hostKey: applies to sftp:// directories only",
                "sources[4].settings.insecureAcceptAnyHostKey: applies to sftp:// directories only");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("sources[2].settings.hostKey: must be the server's public key"))
                .anySatisfy(p -> assertThat(p).startsWith("sources[3].settings.knownHostsFile: '" + dir.resolve("missing_known_hosts")
                        + "' is not a readable file"));
        assertThat(e.problems()).noneMatch(p -> p.startsWith("sources[1].") && p.contains("password"));
    }

    @Test
    void anSftpLocationNamesHostPortAndFolder() throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        List<SourceSpec> specs = SourceSpecs.of(load("""
                  - name: drops
                    kind: file
                    port: 0
                    tables: [a.b]
                    username: u
                    password: env:PATH
                    settings: {directory: "sftp://Drops.Example.com:2222/out/orders/", knownHostsFile: "%s"}
                  - name: absolute
                    kind: file
                    port: 0
                    tables: [a.b]
                    username: u
                    password: p
                    settings: {directory: "sftp://10.0.0.7//data/in", insecureAcceptAnyHostKey: true}
                """.formatted(knownHosts)));
        SftpLocation relative = ((SourceSpec.File) specs.get(0)).settings().sftp();
        assertThat(relative).isEqualTo(new SftpLocation("drops.example.com", 2222, "out/orders"));
        assertThat(relative.resolve("done")).isEqualTo("out/orders/done");
        assertThat(relative.resolve("/archive/done")).isEqualTo("/archive/done");
        assertThat(((SourceSpec.File) specs.get(1)).settings().sftp()).isEqualTo(new SftpLocation("10.0.0.7", 22, "/data/in"));
        assertThat(specs.get(0).source().password().toString()).as("a secret stays masked").doesNotContain(System.getenv("PATH"));
    }
}
