package io.lakeshift.camel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.camel.CamelSources;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drop folder that anyone may write to: what they drop must not make the service read, or write
 * to, anything else it can reach; and any name a folder or file may have works.
 */
@ExtendWith(SharedKafka.class)
class FileDropHardeningIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CSV = "order_id,customer\n1,ann\n";

    static KafkaTestBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaTestBroker.shared();
    }

    private LakeshiftConfig config(String name, Path inbox) throws Exception {
        return TestConfigs.load(dir.resolve("data"), kafka.bootstrapServers(), """
                  - name: %s
                    kind: file
                    tables: [retail.orders]
                    settings:
                      directory: "%s"
                      stableForMs: 200
                      pollIntervalMs: 200
                      key: [order_id]
                      columns:
                        - {name: order_id, type: int64}
                        - {name: customer, type: string}
                """.formatted(name, inbox));
    }

    private static CamelSources start(LakeshiftConfig config) throws Exception {
        CamelSources sources = CamelSources.create(config, Duration.ofSeconds(10));
        sources.start(config.kafka());
        return sources;
    }

    private static void awaitExists(Path file) {
        await().atMost(WAIT).until(() -> Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void symbolicLinksAndFifosAreRefusedWithAReasonNotFollowed() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("in"));
        Path secret = Files.writeString(dir.resolve("secret.csv"), "order_id,customer\n666,the secret\n");
        Files.createSymbolicLink(inbox.resolve("link.csv"), secret);
        Process mkfifo = new ProcessBuilder("mkfifo", inbox.resolve("pipe.csv").toString()).start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
        try (CamelSources sources = start(config("refusing", inbox))) {
            awaitExists(inbox.resolve("error/link.csv"));
            awaitExists(inbox.resolve("error/pipe.csv"));
            TestConfigs.drop(inbox, "good.csv", CSV);
            awaitExists(inbox.resolve("done/good.csv"));
            assertThat(sources.monitor("refusing").counter("unreadableFiles")).isEqualTo(2);
        }
        assertThat(Files.isSymbolicLink(inbox.resolve("error/link.csv"))).as("the link itself moved").isTrue();
        assertThat(Files.readString(inbox.resolve("error/link.csv.reason.txt"))).contains("symbolic link");
        assertThat(Files.readString(inbox.resolve("error/pipe.csv.reason.txt"))).contains("not a regular file");
        assertThat(Files.readString(secret)).contains("the secret");
        List<ChangeEvent> events = kafka.events("it.refusing.retail.orders", 1);
        assertThat(events).as("only the regular file was read").singleElement()
                .satisfies(e -> assertThat(e.after()).containsEntry("customer", "ann"));
    }

    @Test
    void aReasonFileIsCreatedNewNeverWrittenThroughAPlantedLink() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("in"));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched");
        Files.createDirectories(inbox.resolve("error"));
        Files.createSymbolicLink(inbox.resolve("error/bad.csv.reason.txt"), victim);
        try (CamelSources sources = start(config("planted", inbox))) {
            TestConfigs.drop(inbox, "bad.csv", new byte[] {'o', 'r', 'd', 'e', 'r', '_', 'i', 'd', '\n', (byte) 0xFF, '\n'});
            awaitExists(inbox.resolve("error/bad.csv"));
        }
        assertThat(Files.readString(victim)).isEqualTo("untouched");
        assertThat(Files.isSymbolicLink(inbox.resolve("error/bad.csv.reason.txt"))).isTrue();
        assertThat(Files.readString(inbox.resolve("error/bad.csv.reason-2.txt"))).contains("not valid UTF-8");
    }

    @Test
    void anErrorFolderReplacedByALinkReceivesNothing() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("in"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(inbox.resolve("error"), elsewhere);
        try (CamelSources sources = start(config("linked_error", inbox))) {
            TestConfigs.drop(inbox, "bad.csv", new byte[] {'o', 'r', 'd', 'e', 'r', '_', 'i', 'd', '\n', (byte) 0xFF, '\n'});
            await().atMost(WAIT).until(() -> sources.monitor("linked_error").counter("unreadableFiles") >= 1);
        }
        assertThat(inbox.resolve("bad.csv")).as("left where it was").exists();
        try (var listing = Files.list(elsewhere)) {
            assertThat(listing).as("nothing moved or written through the link").isEmpty();
        }
    }

    @Test
    void fileNamesWithTabsLineBreaksAndUnicodeAreRememberedAcrossARestart() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("in"));
        String name = "orders\t2026\nZoë 😀.csv";
        LakeshiftConfig config = config("odd_names", inbox);
        try (CamelSources sources = start(config)) {
            TestConfigs.drop(inbox, name, CSV);
            awaitExists(inbox.resolve("done").resolve(name));
        }
        try (CamelSources sources = start(config)) {
            TestConfigs.drop(inbox, name, CSV);
            await().atMost(WAIT).until(() -> sources.monitor("odd_names").counter("duplicateFiles") == 1);
        }
        List<ChangeEvent> events = kafka.events("it.odd_names.retail.orders", 1);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.source().position()).isEqualTo(name + ":2"));
    }

    @Test
    void aFolderWhoseNameHoldsUriCharactersIsWatched() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("drops ?a=b#x %41 +plus &y=z"));
        try (CamelSources sources = start(config("uri_chars", inbox))) {
            TestConfigs.drop(inbox, "orders.csv", CSV.getBytes(StandardCharsets.UTF_8));
            awaitExists(inbox.resolve("done/orders.csv"));
        }
        assertThat(kafka.events("it.uri_chars.retail.orders", 1)).hasSize(1);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).as("no folder made from a misread URI")
                    .containsExactlyInAnyOrder("drops ?a=b#x %41 +plus &y=z", "data");
        }
    }
}
