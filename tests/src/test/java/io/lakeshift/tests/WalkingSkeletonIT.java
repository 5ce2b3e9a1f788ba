package io.lakeshift.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.batch.TableComparison;
import io.lakeshift.cli.Main;
import io.lakeshift.runtime.demo.DemoReport;
import io.lakeshift.runtime.demo.DemoRunner;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's whole flow on a small workload, against real embedded PostgreSQL, Kafka, Spark and
 * Iceberg: every lakehouse table must equal its source row for row on every column, after
 * inserts, updates and deletes, and the batch mart must equal the same aggregate computed by
 * the source database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonIT {

    @TempDir
    static Path dataDir;

    static DemoReport report;
    static String progress;

    @Test
    @Order(1)
    void sourceChangesLandInIcebergRowForRow() throws Exception {
        LakeshiftConfig config = ConfigLoader.load(null, dataDir, List.of(
                "demo.durationSeconds=8", "demo.changesPerSecond=25", "demo.customers=40", "demo.orders=120"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DemoRunner runner = new DemoRunner(config, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            report = runner.run();
        }
        progress = out.toString(StandardCharsets.UTF_8);

        assertThat(report.tables()).extracting(TableComparison::name)
                .containsExactly("retail.customers", "retail.orders", "retail.order_lines", "marts.daily_revenue");
        assertThat(report.tables()).allSatisfy(t -> assertThat(t.matches())
                .as("%s%nmissing in lake: %s%nextra in lake: %s", t.summaryLine(), t.missingSample(), t.extraSample())
                .isTrue());
        assertThat(report.tables()).allSatisfy(t -> assertThat(t.sourceRows()).isPositive());
        assertThat(report.inserts()).as("workload inserts").isPositive();
        assertThat(report.updates()).as("workload updates").isPositive();
        assertThat(report.deletes()).as("workload deletes").isPositive();
        assertThat(report.freshnessP50Ms()).isNotNegative();
        assertThat(report.freshnessMaxMs()).isGreaterThanOrEqualTo(report.freshnessP50Ms());
        assertThat(progress).contains("initial snapshot applied", "the lake has caught up", "daily revenue");
    }

    @Test
    @Order(2)
    void lakeColumnsKeepTheSourceTypes() {
        CliRun run = sql("--format", "csv", "SELECT typeof(customer_id), typeof(name), typeof(credit_limit), typeof(lifetime_value),"
                + " typeof(active), typeof(created_at), typeof(updated_at), typeof(birth_date), typeof(profile)"
                + " FROM lakeshift.retail.customers LIMIT 1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).last()
                .isEqualTo("bigint,string,\"decimal(12,2)\",\"decimal(20,6)\",boolean,timestamp,timestamp_ntz,date,string");
    }

    @Test
    @Order(3)
    void updatedRowsAreVisibleThroughSql() {
        CliRun run = sql("--format", "json", "SELECT count(*) AS updated FROM lakeshift.retail.orders WHERE note LIKE 'updated ✓%'");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).as("a count is a JSON number").containsPattern("\"updated\" : [1-9][0-9]*");
    }

    @Test
    @Order(4)
    void badQueryFailsWithSparksMessageAndNoStackTrace() {
        CliRun run = sql("SELECT * FROM lakeshift.retail.no_such_table");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no_such_table").doesNotContain("\tat ");
        assertThat(run.err().strip().lines().count()).isLessThanOrEqualTo(2);
    }

    private static CliRun sql(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "sql";
        full[1] = "--data-dir";
        full[2] = dataDir.toString();
        System.arraycopy(args, 0, full, 3, args.length);
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(full);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    record CliRun(int exitCode, String out, String err) {
    }
}
