package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.batch.TableComparison;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeshift up} on a team's own PostgreSQL, as a new user would run it: a server Lakeshift did
 * not start, holding a legacy schema the test creates with its own SQL (mixed-case and reserved-word
 * names, a table without a primary key), a config file written by hand, and the real {@code lakeshift}
 * command as a child process. Every lake table must equal its source on every column after the
 * snapshot, after a workload (updates, deletes, a 40,000-row transaction, ADD COLUMN, a primary-key
 * update), and after a restart that adds a table to the configuration.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpPostgresIT {

    private static final String PASSWORD = "s3cret-erp";
    private static final Duration CATCH_UP = Duration.ofMinutes(4);

    @TempDir
    static Path work;

    static EmbeddedPostgres source;
    static Path configFile;
    static Path dataDir;
    static LakeshiftCommand up;
    static LakeCheck lake;

    @BeforeAll
    static void legacyDatabase() throws Exception {
        source = TeamPostgres.start(work.resolve("erp-db"), "erp_cdc", PASSWORD, "erpdb", true);
        try (Connection c = erp(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA erp");
            st.execute("CREATE TABLE erp.\"Customer\" (\"Id\" integer PRIMARY KEY, \"Name\" text NOT NULL, \"select\" varchar(20),"
                    + " balance numeric(38,10), \"createdAt\" timestamptz, birthday date, active boolean, photo bytea,"
                    + " \"Notes\" text)");
            st.execute("CREATE TABLE erp.\"order\" (order_id bigint PRIMARY KEY, customer_id integer NOT NULL,"
                    + " total numeric(12,2) NOT NULL, placed_at timestamp NOT NULL, status varchar(12))");
            st.execute("CREATE TABLE erp.audit_log (at timestamptz NOT NULL, actor text NOT NULL, action text)");
            st.execute("CREATE TABLE erp.regions (code char(2) PRIMARY KEY, name text NOT NULL)");
            st.execute("CREATE TYPE erp.mood AS ENUM ('sad', 'happy')");
            st.execute("CREATE DOMAIN erp.positive_amount AS numeric(10,2) CHECK (VALUE > 0)");
            st.execute("CREATE TABLE erp.kitchen (id int PRIMARY KEY, tm time(6), tmtz timetz, span interval, num_free numeric,"
                    + " cash money, ints int[], texts text[], feeling erp.mood, amount erp.positive_amount, flag bit(1),"
                    + " nibble bit(4), vbits varbit(8), doc xml, ip inet, net cidr, mac macaddr, js json, jsb jsonb, raw bytea,"
                    + " ref uuid, code char(5), label text)");
            st.execute("INSERT INTO erp.kitchen VALUES (1, '10:15:30.123456', '10:15:30.5+02', '1 year 2 mons 3 days 04:05:06.78',"
                    + " 3.1415926535, 1234.56, '{1,-2,3}', '{\"a\",\"b \\\"c\\\"\",NULL}', 'happy', 12.50, B'1', B'1010', B'101',"
                    + " '<a>Zoë</a>', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '{\"b\": 1}',"
                    + " '{\"b\": 1, \"a\": [1, 2.50]}', '\\x00ff10', '0b0c1d2e-3f40-4152-8364-758697a8b9ca', 'ab',"
                    + " 'Zoë « 李小龍 » 🚀'), (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                    + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
            st.execute("INSERT INTO erp.\"Customer\" SELECT g, 'Kunde ' || g || ' é漢', CASE WHEN g % 3 = 0 THEN NULL ELSE 'sel' || g END,"
                    + " g * 1234.5678901234, timestamptz '2024-01-01 10:00:00+02' + g * interval '1 hour', date '1980-01-01' + g,"
                    + " g % 2 = 0, CASE WHEN g % 4 = 0 THEN NULL ELSE decode(lpad(to_hex(g), 8, '0'), 'hex') END, NULL"
                    + " FROM generate_series(1, 300) g");
            st.execute("INSERT INTO erp.\"order\" SELECT g, 1 + g % 300, (g % 997) + 0.99, timestamp '2024-03-01 00:00:00'"
                    + " + g * interval '7 minutes', CASE WHEN g % 5 = 0 THEN 'NEW' ELSE 'PAID' END FROM generate_series(1, 2000) g");
            st.execute("INSERT INTO erp.audit_log SELECT timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', 'user' || (g % 7),"
                    + " 'login ' || g FROM generate_series(1, 150) g");
            st.execute("INSERT INTO erp.regions VALUES ('DE', 'Deutschland'), ('FR', 'France'), ('JP', '日本')");
        }
        dataDir = work.resolve("lakeshift-data");
        configFile = work.resolve("erp.yaml");
        writeConfig(List.of("erp.Customer", "erp.order", "erp.audit_log", "erp.kitchen"));
    }

    /** The config a user writes: the source by address, everything else embedded. */
    static void writeConfig(List<String> tables) throws Exception {
        Files.writeString(configFile, String.join("\n",
                "sources:",
                "  - name: erp",
                "    kind: postgres",
                "    host: 127.0.0.1",
                "    port: " + source.getPort(),
                "    database: erpdb",
                "    username: erp_cdc",
                "    password: env:ERP_PASSWORD",
                "    tables: [" + String.join(", ", tables) + "]",
                "spark:",
                "  shufflePartitions: 2",
                "  triggerIntervalMs: 500",
                ""), StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void upCreatesTheLakeTablesAndLoadsTheSnapshot() throws Exception {
        up = LakeshiftCommand.start(work.resolve("up-1.out"), Map.of("ERP_PASSWORD", PASSWORD),
                "up", "--config", configFile.toString(), "--data-dir", dataDir.toString());
        up.awaitOutput("created lake table erp.customer", Duration.ofMinutes(3));
        up.awaitOutput("pipeline erp.customer is running", Duration.ofMinutes(3));
        assertThat(up.output()).contains("created lake table erp.order", "created lake table erp.audit_log")
                .doesNotContain(PASSWORD);

        // the test's own JVM reads the same config; the password it gives up in the environment
        lake = new LakeCheck(ConfigLoader.load(configFile, dataDir, List.of("sources[0].password=" + PASSWORD)),
                source.getJdbcUrl("erp_cdc", "erpdb"),
                Map.of("user", "erp_cdc", "password", PASSWORD));
        awaitLakeEqualsSource(expected(false));
        assertThat(Files.readString(dataDir.resolve("kafka/bootstrap.servers"))).startsWith("127.0.0.1:");
    }

    @Test
    @Order(2)
    void aWorkloadFlowsThrough() throws Exception {
        try (Connection c = erp(); Statement st = c.createStatement()) {
            st.execute("UPDATE erp.\"Customer\" SET \"Name\" = \"Name\" || ' (upd)', balance = balance * 2 WHERE \"Id\" % 10 = 1");
            st.execute("DELETE FROM erp.\"Customer\" WHERE \"Id\" % 25 = 0");
            st.execute("UPDATE erp.\"order\" SET status = 'SHIPPED' WHERE order_id % 3 = 0");
            st.execute("DELETE FROM erp.\"order\" WHERE order_id % 50 = 7");
            c.setAutoCommit(false);
            st.execute("INSERT INTO erp.\"order\" SELECT g, 1 + g % 300, 10.00, timestamp '2024-06-01 00:00:00', 'BULK'"
                    + " FROM generate_series(100001, 140000) g");
            c.commit();
            c.setAutoCommit(true);
            st.execute("ALTER TABLE erp.\"Customer\" ADD COLUMN \"loyaltyTier\" smallint");
            st.execute("UPDATE erp.\"Customer\" SET \"loyaltyTier\" = 3 WHERE \"Id\" % 7 = 0");
            st.execute("UPDATE erp.\"Customer\" SET \"Id\" = \"Id\" + 10000 WHERE \"Id\" = 2");
            st.execute("UPDATE erp.audit_log SET action = 'logout' WHERE actor = 'user3'");
            st.execute("DELETE FROM erp.audit_log WHERE actor = 'user5'");
            st.execute("INSERT INTO erp.audit_log VALUES (now(), 'admin', NULL)");
            st.execute("UPDATE erp.kitchen SET tm = '23:59:59.999999', tmtz = '00:00:00-05:30', span = '-1 mons +00:00:00.000001',"
                    + " num_free = -0.5, cash = -0.01, nibble = B'0001', feeling = 'sad', ints = '{}' WHERE id = 1");
            st.execute("INSERT INTO erp.kitchen (id, label, tm) SELECT id + 10, label, tm FROM erp.kitchen");
        }
        awaitLakeEqualsSource(expected(true));
    }

    @Test
    @Order(3)
    void aTableAddedToTheConfigArrivesAfterARestartAndNothingRepeats() throws Exception {
        // read while up runs: its embedded catalog database stops with it
        long changelogBefore = changelogRows("erp.order");
        assertThat(up.stop(Duration.ofMinutes(2))).as("exit code of up after SIGTERM").isZero();
        assertThat(up.output()).contains("stopped");

        writeConfig(List.of("erp.Customer", "erp.order", "erp.audit_log", "erp.kitchen", "erp.regions"));
        try (Connection c = erp(); Statement st = c.createStatement()) {
            st.execute("UPDATE erp.\"order\" SET status = 'CLOSED' WHERE order_id = 1");
        }
        up = LakeshiftCommand.start(work.resolve("up-2.out"), Map.of("ERP_PASSWORD", PASSWORD),
                "up", "--config", configFile.toString(), "--data-dir", dataDir.toString());
        up.awaitOutput("created lake table erp.regions", Duration.ofMinutes(3));
        up.awaitOutput("source erp is streaming", Duration.ofMinutes(3));
        // the rows the new table held before it was added come from a snapshot of that table alone;
        // its changes stream from the restart on (before, during and after that snapshot)
        try (Connection c = erp(); Statement st = c.createStatement()) {
            st.execute("UPDATE erp.regions SET name = 'République française' WHERE code = 'FR'");
        }
        Path ingestLog = dataDir.resolve("logs/ingest.log");
        await().atMost(Duration.ofMinutes(3)).until(() -> Files.isRegularFile(ingestLog)
                && Files.readString(ingestLog).contains("snapshot of added table(s) [erp.regions] done"));
        try (Connection c = erp(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO erp.regions VALUES ('US', 'United States')");
            st.execute("DELETE FROM erp.regions WHERE code = 'DE'");
        }
        Map<String, String> expected = expected(true);
        expected.put("erp.regions", "(SELECT code, name FROM erp.regions) q");
        awaitLakeEqualsSource(expected);
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() ->
                assertThat(changelogRows("erp.order")).as("changelog of erp.order after the restart: one new change, none repeated")
                        .isEqualTo(changelogBefore + 1));
        assertThat(up.output()).doesNotContain(PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (up != null) {
            up.stop(Duration.ofMinutes(2));
        }
        if (lake != null) {
            lake.close();
        }
        if (source != null) {
            source.close();
        }
    }

    private long changelogRows(String table) {
        lake.refresh(table + "__changelog");
        return lake.count("SELECT count(*) FROM lakeshift." + table + "__changelog");
    }

    private static Map<String, String> expected(boolean afterWorkload) {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("erp.customer", "(SELECT \"Id\" AS id, \"Name\" AS name, \"select\" AS \"select\", balance,"
                + " \"createdAt\" AS createdat, birthday, active, photo, \"Notes\" AS notes"
                + (afterWorkload ? ", \"loyaltyTier\"::int AS loyaltytier" : "") + " FROM erp.\"Customer\") q");
        expected.put("erp.order", "(SELECT order_id, customer_id, total, placed_at, status FROM erp.\"order\") q");
        expected.put("erp.audit_log", "(SELECT at, actor, action FROM erp.audit_log) q");
        // the lake's values of each type, as docs/type-mapping.md gives them, computed by PostgreSQL
        expected.put("erp.kitchen", "(SELECT id, to_char(tm, 'HH24:MI:SS.US') AS tm,"
                + " to_char((tmtz AT TIME ZONE 'UTC')::time, 'HH24:MI:SS.US') || 'Z' AS tmtz,"
                + " CASE WHEN span IS NULL THEN NULL ELSE 'P' || extract(year FROM span)::int || 'Y' || extract(month FROM span)::int"
                + " || 'M' || extract(day FROM span)::int || 'DT' || extract(hour FROM span)::int || 'H'"
                + " || extract(minute FROM span)::int || 'M' || trim_scale(extract(second FROM span)) || 'S' END AS span,"
                + " num_free, cash::numeric(19,2) AS cash, array_to_json(ints)::text AS ints, array_to_json(texts)::text AS texts,"
                + " feeling::text AS feeling, amount, flag = B'1' AS flag, nibble::text AS nibble, lpad(vbits::text, 8, '0') AS vbits,"
                + " doc::text AS doc, ip::text AS ip, net::text AS net, mac::text AS mac, js::text AS js, jsb::text AS jsb, raw,"
                + " ref::text AS ref, code, label FROM erp.kitchen) q");
        return expected;
    }

    private static void awaitLakeEqualsSource(Map<String, String> expected) {
        assertThat(lake).as("the lake check (set up by the first test)").isNotNull();
        await().atMost(CATCH_UP).pollInterval(Duration.ofSeconds(3)).ignoreExceptions()
                .failFast("lakeshift up ended", () -> !up.alive()).untilAsserted(() -> {
            List<TableComparison> results = lake.compare(expected);
            assertThat(results).allSatisfy(t -> assertThat(t.matches())
                    .as("%s%nmissing in lake: %s%nextra in lake: %s%nup's output:%n%s", t.summaryLine(), t.missingSample(),
                            t.extraSample(), up.output())
                    .isTrue());
        });
    }

    private static Connection erp() throws Exception {
        return TeamPostgres.connect(source, "erp_cdc", PASSWORD, "erpdb");
    }
}
