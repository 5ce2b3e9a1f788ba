package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.testing.TestCertificates;
import io.lakeshift.lakehouse.SparkSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeshift up} against a Kafka cluster that speaks SASL_SSL with SCRAM-SHA-512 only, the way
 * a team's production cluster does: the credentials reach every part through {@code kafka.client}
 * (the JAAS line from an environment variable, the truststore password from a file), and a row
 * inserted in PostgreSQL and a dropped CSV file both become lake rows: ingestion, the Camel routes,
 * topic provisioning and the Spark apply jobs all connect. The SCRAM password is in no part's log.
 */
class UpSaslSslIT {

    private static final String KAFKA_USER = "lakeshift";
    private static final String KAFKA_PASSWORD = "ScramPw4Lakeshift9x7";
    private static final String DB_PASSWORD = "s3cret-erp";
    /** Generous: four JVMs (ingestion, routes, two Spark apply jobs) start on a shared 2-core machine. */
    private static final Duration STARTUP = Duration.ofMinutes(8);
    private static final Duration CATCH_UP = Duration.ofMinutes(4);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;

    static EmbeddedPostgres postgres;
    static SaslSslKafkaBroker kafka;
    static LakeshiftCommand up;
    static SparkSession spark;

    @Test
    void aPostgresRowAndADroppedFileReachTheLakeThroughSaslSsl() throws Exception {
        TestCertificates certs = TestCertificates.create(work.resolve("certs"));
        kafka = SaslSslKafkaBroker.start(work.resolve("kafka"), certs, KAFKA_USER, KAFKA_PASSWORD);
        postgres = TeamPostgres.start(work.resolve("erp-db"), "erp_cdc", DB_PASSWORD, "erpdb", true);
        sql("CREATE SCHEMA erp", "CREATE TABLE erp.customers (id int PRIMARY KEY, name text)",
                "INSERT INTO erp.customers VALUES (1, 'snapshot row')");
        Path drops = Files.createDirectories(work.resolve("drops"));
        Path dataDir = work.resolve("lakeshift-data");
        Path trustStorePassword = ownerOnly(work.resolve("truststore-password"), certs.password());
        Path config = work.resolve("sasl.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:",
                "  bootstrapServers: " + kafka.bootstrapServers(),
                "  client:",
                "    security.protocol: SASL_SSL",
                "    sasl.mechanism: SCRAM-SHA-512",
                "    sasl.jaas.config: env:LAKESHIFT_KAFKA_JAAS",
                "    ssl.truststore.location: " + certs.trustStore(),
                "    ssl.truststore.type: PKCS12",
                "    ssl.truststore.password: file:" + trustStorePassword,
                "sources:",
                "  - name: erp",
                "    kind: postgres",
                "    host: 127.0.0.1",
                "    port: " + postgres.getPort(),
                "    database: erpdb",
                "    username: erp_cdc",
                "    password: env:ERP_PASSWORD",
                "    tables: [erp.customers]",
                "  - name: shop",
                "    kind: file",
                "    tables: [sales.orders]",
                "    settings:",
                "      directory: " + drops,
                "      format: csv",
                "      pickup: done-marker",
                "      key: [order_id]",
                "      columns:",
                "        - {name: order_id, type: int64}",
                "        - {name: amount, type: \"decimal(12,2)\"}",
                "spark:",
                "  shufflePartitions: 2",
                "  triggerIntervalMs: 500",
                ""), StandardCharsets.UTF_8);

        up = LakeshiftCommand.start(work.resolve("up.out"), Map.of("ERP_PASSWORD", DB_PASSWORD,
                "LAKESHIFT_KAFKA_JAAS", SaslSslKafkaBroker.jaas(KAFKA_USER, KAFKA_PASSWORD)),
                "up", "--config", config.toString(), "--data-dir", dataDir.toString());
        up.awaitOutput("pipeline erp.customers is running", STARTUP);
        up.awaitOutput("pipeline shop.orders is running", STARTUP);

        sql("INSERT INTO erp.customers VALUES (2, 'streamed row')");
        drop(drops, "day1.csv", "order_id,amount\n1,10.50\n2,20.00\n");

        // The test JVM reads the lake only: Kafka's client settings (and their secrets) are not needed here.
        LakeshiftConfig loaded = ConfigLoader.load(config, dataDir, List.of("kafka.client={}", "sources[0].password=unused"));
        spark = SparkSession.builder().config(SparkSettings.of(loaded, "lakeshift-test-sasl")).getOrCreate();
        await().atMost(CATCH_UP).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .failFast("lakeshift up ended", () -> !up.alive()).untilAsserted(() -> {
                    assertThat(rows("SELECT id, name FROM lakeshift.erp.customers ORDER BY id", "erp.customers"))
                            .containsExactly("[1,snapshot row]", "[2,streamed row]");
                    assertThat(rows("SELECT order_id, amount FROM lakeshift.shop.orders ORDER BY order_id", "shop.orders"))
                            .containsExactly("[1,10.50]", "[2,20.00]");
                });

        // The topics live on the SASL_SSL cluster, created there by lakeshift up.
        try (Admin admin = Admin.create(kafka.clientProperties(certs, SaslSslKafkaBroker.jaas(KAFKA_USER, KAFKA_PASSWORD)))) {
            Set<String> topics = admin.listTopics().names().get();
            assertThat(topics).contains("lakeshift.erp.erp.customers", "lakeshift.erp.erp.customers.dlq",
                    "lakeshift.shop.sales.orders", "lakeshift.shop.sales.orders.dlq");
        }
        assertThat(up.stop(Duration.ofMinutes(2))).isZero();
        assertThat(up.output()).doesNotContain(KAFKA_PASSWORD).doesNotContain(certs.password());
        try (Stream<Path> logs = Files.list(dataDir.resolve("logs"))) {
            List<Path> files = logs.filter(Files::isRegularFile).toList();
            assertThat(files).isNotEmpty();
            for (Path log : files) {
                assertThat(Files.readString(log, StandardCharsets.UTF_8)).as(log.toString())
                        .doesNotContain(KAFKA_PASSWORD).doesNotContain(certs.password());
            }
        }
    }

    private static List<String> rows(String query, String table) {
        spark.sql("REFRESH TABLE lakeshift." + table);
        return spark.sql(query).collectAsList().stream().map(Row::toString).toList();
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = postgres.getDatabase("erp_cdc", "erpdb").getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static Path ownerOnly(Path file, String content) throws Exception {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, content);
    }

    private static void drop(Path dir, String name, String content) throws Exception {
        Path tmp = dir.resolveSibling(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve(name + ".done"), "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (up != null && up.alive()) {
            up.stop(Duration.ofMinutes(2));
        }
        if (spark != null) {
            spark.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
