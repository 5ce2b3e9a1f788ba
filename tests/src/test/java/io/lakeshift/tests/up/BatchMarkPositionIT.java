package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.jdbc.Lsn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's own batch job, not Lakeshift's full reload, records the source position it read at,
 * through the real {@code lakeshift batch position} and {@code batch mark-position}: the job here is
 * a copy through {@code lakeshift sql}, as any outside writer of the lake table would be. The mark
 * changes no data and carries the position where the migration's reconciliation looks for it.
 */
class BatchMarkPositionIT {

    private static final String PASSWORD = "s3cret-erp";

    @TempDir
    static Path work;

    static EmbeddedPostgres source;
    static Path config;

    @BeforeAll
    static void legacyDatabase() throws Exception {
        source = TeamPostgres.start(work.resolve("erp-db"), "erp_batch", PASSWORD, "erpdb", false);
        try (Connection c = erp(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA erp");
            st.execute("CREATE TABLE erp.invoices (id int PRIMARY KEY, amount numeric(10,2) NOT NULL)");
            st.execute("INSERT INTO erp.invoices SELECT g, g * 1.25 FROM generate_series(1, 50) g");
        }
        config = work.resolve("lakeshift.yaml");
        Files.writeString(config, String.join("\n",
                "sources:",
                "  - {name: erp, kind: postgres, host: 127.0.0.1, port: " + source.getPort() + ", database: erpdb,"
                        + " username: erp_batch, password: env:ERP_PASSWORD, tables: [erp.invoices]}",
                "  - {name: shop, kind: mysql, host: 127.0.0.1, port: 1, database: shop, username: u,"
                        + " password: env:ERP_PASSWORD, tables: [shop.orders]}",
                "pipelines:",
                "  - {name: erp.invoices, source: erp, table: erp.invoices, target: erp.invoices, stage: BATCH, dag: erp_nightly}",
                "  - {name: shop.orders, source: shop, table: shop.orders, target: shop.orders, stage: BATCH, dag: shop_nightly}",
                ""), StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() throws Exception {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void anOutsideJobRecordsThePositionItReadAt() throws Exception {
        LakeshiftCommand.Result position = run("batch", "position", "--source", "erp");
        assertThat(position.exitCode()).as(position.output()).isZero();
        Matcher lsn = Pattern.compile("(?m)^lsn=[0-9A-F]+/[0-9A-F]+$").matcher(position.output());
        assertThat(lsn.find()).as(position.output()).isTrue();
        String pos = lsn.group();
        assertThat(Lsn.parse(pos)).as("taken before this read of the source's position")
                .isLessThanOrEqualTo(currentLsn()).isPositive();

        // the team's job: it reads the source and writes the lake table its own way
        LakeshiftCommand.Result job = run("sql", "CREATE TABLE lakeshift.erp.invoices (id int, amount decimal(10,2))"
                + " USING iceberg");
        assertThat(job.exitCode()).as(job.output()).isZero();
        job = run("sql", "INSERT INTO lakeshift.erp.invoices SELECT id, CAST(id * 1.25 AS decimal(10,2))"
                + " FROM range(1, 51) AS t(id)");
        assertThat(job.exitCode()).as(job.output()).isZero();

        LakeshiftCommand.Result mark = run("batch", "mark-position", "erp.invoices", "--position", pos);
        assertThat(mark.exitCode()).as(mark.output()).isZero();
        assertThat(mark.output()).contains("recorded lakeshift.source-position=" + pos + " on erp.invoices (snapshot ");

        LakeshiftCommand.Result snapshots = run("tables", "snapshots", "erp.invoices");
        assertThat(snapshots.exitCode()).as(snapshots.output()).isZero();
        assertThat(snapshots.output()).contains("lakeshift.source-position=" + pos);
        LakeshiftCommand.Result rows = run("sql", "SELECT count(*), sum(amount) FROM lakeshift.erp.invoices");
        assertThat(rows.output()).as("the mark changes no data").contains("50").contains("1593.75");

        // a position in PostgreSQL's own notation is recorded as Lakeshift writes positions
        String bare = pos.substring("lsn=".length());
        LakeshiftCommand.Result again = run("batch", "mark-position", "erp.invoices", "--position", bare,
                "--property", "lakeshift.erp-nightly-position");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("recorded lakeshift.erp-nightly-position=" + pos);
    }

    @Test
    void whatCannotBeMarkedSaysWhy() throws Exception {
        LakeshiftCommand.Result notAPosition = run("batch", "mark-position", "erp.invoices", "--position", "yesterday");
        assertThat(notAPosition.exitCode()).isEqualTo(2);
        assertThat(notAPosition.output()).contains("--position: 'yesterday' is not a source position");

        LakeshiftCommand.Result noTable = run("batch", "mark-position", "erp.missing", "--position", "lsn=0/16B3748");
        assertThat(noTable.exitCode()).isEqualTo(1);
        assertThat(noTable.output()).contains("erp.missing");

        LakeshiftCommand.Result mysql = run("batch", "position", "--source", "shop");
        assertThat(mysql.exitCode()).isEqualTo(1);
        assertThat(mysql.output()).contains("source 'shop' is mysql", "PostgreSQL");

        LakeshiftCommand.Result which = run("batch", "position");
        assertThat(which.exitCode()).isEqualTo(2);
        assertThat(which.output()).contains("name the source with --source", "erp", "shop");
        assertThat(notAPosition.output() + noTable.output() + mysql.output() + which.output()).doesNotContain(PASSWORD);
    }

    private static long currentLsn() throws Exception {
        try (Connection c = erp(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    private static Connection erp() throws Exception {
        return TeamPostgres.connect(source, "erp_batch", PASSWORD, "erpdb");
    }

    private static LakeshiftCommand.Result run(String... args) throws Exception {
        String[] withConfig = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--config", config.toString(), "--data-dir", work.resolve("data").toString()))
                .toArray(String[]::new);
        return LakeshiftCommand.run(work.resolve("cmd.out"), Map.of("ERP_PASSWORD", PASSWORD), Duration.ofMinutes(4), withConfig);
    }
}
