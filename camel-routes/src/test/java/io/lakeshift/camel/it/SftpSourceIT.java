package io.lakeshift.camel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.camel.CamelSources;
import io.lakeshift.camel.status.SourceMonitor;
import io.lakeshift.camel.testing.TestSftpServer;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** CSV files dropped on a real (in-process) SFTP server, through the real route into a real Kafka broker. */
@ExtendWith(SharedKafka.class)
class SftpSourceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String USER = "dropper";

    static KafkaTestBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaTestBroker.shared();
    }

    private LakeshiftConfig config(String name, int port, String password, String hostKeySetting) throws Exception {
        Path passwordFile = Files.writeString(dir.resolve(name + ".password"), password + "\n");
        return TestConfigs.load(dir.resolve("data"), kafka.bootstrapServers(), """
                  - name: %s
                    kind: file
                    tables: [retail.orders]
                    username: %s
                    password: "file:%s"
                    settings:
                      directory: sftp://localhost:%d/drops
                      %s
                      stableForMs: 200
                      pollIntervalMs: 200
                      key: [order_id]
                      columns:
                        - {name: order_id, type: int64}
                        - {name: customer, type: string, required: true}
                        - {name: amount, type: "decimal(10,2)"}
                """.formatted(name, USER, passwordFile, port, hostKeySetting));
    }

    private static CamelSources start(LakeshiftConfig config) throws Exception {
        CamelSources sources = CamelSources.create(config, Duration.ofSeconds(10));
        sources.start(config.kafka());
        return sources;
    }

    @Test
    void csvDropsReachKafkaEveryRecordAccountedForAndFilesMoveOnTheServer() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        try (TestSftpServer sftp = new TestSftpServer(dir, USER, password)) {
            Path drops = Files.createDirectories(sftp.root().resolve("drops"));
            Path planted = Files.writeString(Files.createDirectories(drops.resolve("error")).resolve("latin.csv.reason.txt"), "planted");
            LakeshiftConfig config = config("sftp_orders", sftp.port(), password, "hostKey: \"" + sftp.hostKey() + "\"");
            try (CamelSources sources = start(config)) {
                TestConfigs.drop(drops, "orders.csv", "order_id,customer,amount\n"
                        + "1,ann,1.00\n"
                        + "2,bob,2.00\n"
                        + "1,ann,1.50\n"
                        + "x,bad,1.00\n"
                        + "1,ann,1.75\n");
                await().atMost(WAIT).until(() -> Files.exists(drops.resolve("done/orders.csv")));
                TestConfigs.drop(drops, "latin.csv", "order_id,customer\n1,M\u00fcnchen\n".getBytes(StandardCharsets.ISO_8859_1));
                await().atMost(WAIT).until(() -> Files.exists(drops.resolve("error/latin.csv")));

                SourceMonitor monitor = sources.monitor("sftp_orders");
                await().atMost(WAIT).until(() -> monitor.counter("files") == 1);
                assertThat(monitor.counter("records")).isEqualTo(5);
                assertThat(monitor.counter("records")).as("records read = events + dead letters")
                        .isEqualTo(monitor.counter("events") + monitor.counter("deadLetters"));
                assertThat(monitor.counter("deadLetters")).isEqualTo(1);
                assertThat(monitor.counter("unreadableFiles")).isEqualTo(1);
                assertThat(monitor.snapshot().details()).containsEntry("directory", "sftp://localhost:" + sftp.port() + "/drops");
            }
            assertThat(drops.resolve("orders.csv")).doesNotExist();
            assertThat(drops.resolve("latin.csv")).doesNotExist();
            assertThat(planted).as("a reason file never overwrites a name taken").hasContent("planted");
            assertThat(Files.readString(drops.resolve("error/latin.csv.reason-2.txt"))).contains("not valid UTF-8");
        }

        List<ChangeEvent> events = kafka.events("it.sftp_orders.retail.orders", 4);
        assertThat(events).extracting(e -> e.source().position())
                .containsExactly("orders.csv:2", "orders.csv:3", "orders.csv:4", "orders.csv:6");
        List<ChangeEvent> first = events.stream().filter(e -> e.key().get("order_id").equals(1)).toList();
        assertThat(first).as("every event of a repeated key, in file order").extracting(e -> e.after().get("amount"))
                .containsExactly("1.00", "1.50", "1.75");
        assertThat(first).extracting(e -> e.source().seqLow()).as("the newest line carries the highest position")
                .isSorted().doesNotHaveDuplicates();
        assertThat(first).extracting(e -> e.source().seqHigh()).containsOnly(first.get(0).source().seqHigh());
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.records("it.sftp_orders.retail.orders.dlq", 1);
        assertThat(dead).singleElement().satisfies(r ->
                assertThat(KafkaTestBroker.header(r, DeadLetterHeaders.ORIGIN)).isEqualTo("orders.csv:5"));
        assertThat(Files.readString(Path.of("target/test.log"))).as("the password never reaches a log").doesNotContain(password);
    }

    @Test
    void aServerPresentingAnotherHostKeyIsNotTrusted() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        String otherKey = PublicKeyEntry.toString(generator.generateKeyPair().getPublic());
        try (TestSftpServer sftp = new TestSftpServer(dir, USER, password)) {
            Path drops = Files.createDirectories(sftp.root().resolve("drops"));
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "[localhost]:" + sftp.port() + " " + otherKey + "\n");
            LakeshiftConfig config = config("sftp_mitm", sftp.port(), password, "knownHostsFile: \"" + knownHosts + "\"");
            try (CamelSources sources = start(config)) {
                Path file = TestConfigs.drop(drops, "orders.csv", "order_id,customer,amount\n1,ann,1.00\n");
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file));
                assertThat(sources.monitor("sftp_mitm").counter("records")).isZero();
                await().atMost(WAIT).untilAsserted(() -> assertThat(sources.monitor("sftp_mitm").snapshot().details().get("lastError"))
                        .contains("HostKey has been changed"));
            }
        }
        assertThat(kafka.records("it.sftp_mitm.retail.orders", 0)).isEmpty();
    }

    @Test
    void aSymbolicLinkOnTheServerIsRefused() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        try (TestSftpServer sftp = new TestSftpServer(dir, USER, password)) {
            Path drops = Files.createDirectories(sftp.root().resolve("drops"));
            Path other = Files.writeString(sftp.root().resolve("other.csv"), "order_id,customer,amount\n9,eve,9.00\n");
            Files.createSymbolicLink(drops.resolve("link.csv"), other);
            LakeshiftConfig config = config("sftp_links", sftp.port(), password, "hostKey: \"" + sftp.hostKey() + "\"");
            try (CamelSources sources = start(config)) {
                await().atMost(WAIT).until(() -> Files.isSymbolicLink(drops.resolve("error/link.csv")));
                assertThat(sources.monitor("sftp_links").counter("unreadableFiles")).isEqualTo(1);
            }
            assertThat(Files.readString(drops.resolve("error/link.csv.reason.txt"))).contains("symbolic link");
        }
        assertThat(kafka.records("it.sftp_links.retail.orders", 0)).isEmpty();
    }
}
