package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.core.config.IngestionConfig;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.testing.SharedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets files against a real PostgreSQL and a real Kafka broker: an unreadable one stops its
 * source instead of starting a new snapshot, and files of Kafka Connect's file store (what
 * Lakeshift used before) are resumed from.
 */
@ExtendWith(SharedKafka.class)
class DurableOffsetsIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Restarts are configured: an unreadable offsets file must still not be retried. */
    private static final IngestionConfig RESTARTS = new IngestionConfig(500, 60_000);

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static KafkaClusterTestKit kafka;
    static KafkaConfig kafkaConfig;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestServers.postgres(dir.resolve("pg"));
        kafka = SharedKafka.broker();
        kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "it", 1, (short) 1, Map.of(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aTruncatedOrEmptyOffsetsFileStopsTheSourceWithAClearErrorAndNoNewSnapshot() throws Exception {
        sql("CREATE SCHEMA cut", "CREATE TABLE cut.t (id int PRIMARY KEY)", "INSERT INTO cut.t VALUES (1), (2), (3)");
        SourceConfig source = source("cut", Map.of());
        Path dataDir = dir.resolve("cut-data");
        Path offsets = IngestionService.offsetsDir(dataDir).resolve("cut.offsets");
        try (IngestionService service = service(source, dataDir)) {
            service.start();
            service.source("cut").watermark(TIMEOUT);
        }
        assertThat(events("it.cut.cut.t")).hasSize(3).allSatisfy(e -> assertThat(e.op()).isEqualTo(Op.READ));
        byte[] good = Files.readAllBytes(offsets);
        sql("INSERT INTO cut.t VALUES (4)"); // committed while the source is down: must not be lost

        Files.write(offsets, Arrays.copyOf(good, good.length / 2));
        assertStopsWithoutSnapshot(source, dataDir, offsets + " is truncated or corrupt");
        Files.write(offsets, new byte[0]);
        assertStopsWithoutSnapshot(source, dataDir, offsets + " is empty");

        // Restored from a backup: capture resumes where it was, without a snapshot, and nothing is lost.
        Files.write(offsets, good);
        try (IngestionService service = service(source, dataDir)) {
            service.start();
            service.source("cut").watermark(TIMEOUT);
        }
        assertThat(events("it.cut.cut.t")).extracting(ChangeEvent::op).containsExactly(Op.READ, Op.READ, Op.READ, Op.CREATE);
    }

    private static void assertStopsWithoutSnapshot(SourceConfig source, Path dataDir, String problem) throws Exception {
        try (LogCapture logs = LogCapture.open(); IngestionService service = service(source, dataDir)) {
            service.start();
            await().atMost(TIMEOUT).until(() -> !service.gaveUp().isEmpty());
            assertThat(service.gaveUp()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(SourceState.FAILED);
                assertThat(s.error()).contains("offsets file " + problem).contains("Restore the file from a backup")
                        .contains("lakeshift sources drop cut");
                assertThat(s.snapshotRows()).isZero();
            });
            assertThat(logs.text()).contains(problem).doesNotContain("restarting from the stored offsets");
        }
        assertThat(events("it.cut.cut.t")).as("no snapshot, nothing captured").hasSize(3);
    }

    @Test
    void offsetsStoredByKafkaConnectsFileStoreAreResumedFromWithoutASecondSnapshot() throws Exception {
        sql("CREATE SCHEMA upgrade", "CREATE TABLE upgrade.t (id int PRIMARY KEY)", "INSERT INTO upgrade.t VALUES (1), (2)");
        Path state = dir.resolve("upgrade-offsets");
        SourceConfig before = source("upgrade", Map.of("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore"));
        try (CdcSource cdc = new CdcSource(before, kafkaConfig, state, Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
        }
        sql("INSERT INTO upgrade.t VALUES (3)");

        try (CdcSource cdc = new CdcSource(source("upgrade", Map.of()), kafkaConfig, state, Map.of())) {
            cdc.start();
            cdc.watermark(TIMEOUT);
            assertThat(cdc.status().snapshotRows()).isZero();
        }
        assertThat(events("it.upgrade.upgrade.t")).extracting(ChangeEvent::op).containsExactly(Op.READ, Op.READ, Op.CREATE);
    }

    private static IngestionService service(SourceConfig source, Path dataDir) {
        return new IngestionService(List.of(source), kafkaConfig, dataDir, Map.of(), RESTARTS);
    }

    private static SourceConfig source(String name, Map<String, String> properties) {
        return new SourceConfig(name, "postgres", "127.0.0.1", postgres.getPort(), "postgres", "postgres", Secret.of("unused"),
                List.of(name + ".t"), "initial", properties, null, Map.of());
    }

    private static List<ChangeEvent> events(String topic) {
        return TopicReader.events(kafka.bootstrapServers(), topic);
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            TestServers.execute(c, statements);
        }
    }
}
