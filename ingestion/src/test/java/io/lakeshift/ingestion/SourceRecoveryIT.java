package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.core.config.IngestionConfig;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.status.StatusFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures the ingestion service rides out or gives up on, against a real PostgreSQL and a real
 * Kafka broker that the test stops and starts again.
 */
class SourceRecoveryIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Short producer timeouts, so that an outage of a few seconds outlasts the delivery timeout. */
    private static final Map<String, String> IMPATIENT_PRODUCER = Map.of("delivery.timeout.ms", "4000", "request.timeout.ms", "1500",
            "max.block.ms", "3000", "linger.ms", "0", "reconnect.backoff.max.ms", "500");

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static RestartableKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestServers.postgres(dir.resolve("pg"));
        kafka = new RestartableKafka(dir.resolve("kafka"));
        kafka.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aKafkaOutageLongerThanTheDeliveryTimeoutIsRiddenOutAndNoChangeIsLost() throws Exception {
        sql("CREATE SCHEMA down", "CREATE TABLE down.t (id int PRIMARY KEY, v text)");
        KafkaConfig kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "outage", 1, (short) 1, Map.of(), IMPATIENT_PRODUCER);
        SourceConfig source = source("down", postgres.getPort());
        Path dataDir = dir.resolve("down-data");
        StatusFiles statusFiles = new StatusFiles(dataDir, IngestionService.STATUS_GROUP);
        try (IngestionService service = new IngestionService(List.of(source), kafkaConfig, dataDir, Map.of(),
                new IngestionConfig(1_000, 300_000))) {
            service.start();
            CdcSource cdc = service.source("down");
            cdc.watermark(TIMEOUT);
            insert(1, 10);
            cdc.watermark(TIMEOUT);

            kafka.stop();
            insert(11, 20);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(statusFiles.readAll()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo("RETRYING");
                assertThat(s.details().get("error")).contains("Kafka did not acknowledge").contains("failing since");
            }));
            insert(21, 25);
            // Still down a while later: the source keeps retrying rather than failing for good.
            await().atMost(TIMEOUT).until(() -> cdc.status().error() != null && cdc.status().error().contains("restart 3 "));
            assertThat(cdc.status().state()).isEqualTo(SourceState.RETRYING);
            assertThat(service.gaveUp()).isEmpty();

            kafka.start();
            insert(26, 30);
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().state()).isEqualTo(SourceState.STREAMING);
            assertThat(cdc.status().error()).isNull();
        }

        List<ChangeEvent> events = TopicReader.events(kafka.bootstrapServers(), "outage.down.down.t");
        // Replays after the restarts are allowed (the sink drops them by source.seq); gaps and disorder are not.
        Comparator<ChangeEvent> bySeq = Comparator.comparingLong((ChangeEvent e) -> e.source().seqHigh())
                .thenComparingLong(e -> e.source().seqLow());
        List<ChangeEvent> firstSeen = new ArrayList<>();
        Set<List<Long>> seen = new HashSet<>();
        for (ChangeEvent e : events) {
            if (seen.add(List.of(e.source().seqHigh(), e.source().seqLow()))) {
                firstSeen.add(e);
            }
        }
        assertThat(firstSeen).extracting(e -> e.key().get("id")).containsExactlyElementsOf(IntStream.rangeClosed(1, 30).boxed().toList());
        assertThat(firstSeen).isSortedAccordingTo(bySeq).allSatisfy(e -> assertThat(e.op()).isEqualTo(Op.CREATE));
    }

    @Test
    void aSourceThatDoesNotRecoverIsGivenUpAfterTheConfiguredTime() throws Exception {
        KafkaConfig kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "outage", 1, (short) 1, Map.of(), Map.of());
        SourceConfig unreachable = source("gone", closedPort());
        Path dataDir = dir.resolve("gone-data");
        StatusFiles statusFiles = new StatusFiles(dataDir, IngestionService.STATUS_GROUP);
        try (IngestionService service = new IngestionService(List.of(unreachable), kafkaConfig, dataDir, Map.of(),
                new IngestionConfig(500, 6_000))) {
            service.start();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(statusFiles.readAll()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo("RETRYING");
                assertThat(s.details().get("error")).contains("cannot connect to postgres at 127.0.0.1").contains("giving up at");
            }));
            assertThat(service.gaveUp()).isEmpty();
            await().atMost(TIMEOUT).until(() -> !service.gaveUp().isEmpty());
            assertThat(service.gaveUp()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(SourceState.FAILED);
                assertThat(s.error()).startsWith("gave up after").contains("ingestion.giveUpAfterMs").contains("cannot connect");
            });
        }
        assertThat(statusFiles.readAll()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo("FAILED"));
    }

    private static SourceConfig source(String name, int port) {
        return new SourceConfig(name, "postgres", "127.0.0.1", port, "postgres", "postgres", Secret.of("unused"),
                List.of(name + ".t"), "initial", Map.of(), null, Map.of());
    }

    /** One transaction per row, so each is its own change at its own position. */
    private static void insert(int from, int to) throws Exception {
        for (int id = from; id <= to; id++) {
            sql("INSERT INTO down.t VALUES (" + id + ", 'row " + id + "')");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            TestServers.execute(c, statements);
        }
    }
}
