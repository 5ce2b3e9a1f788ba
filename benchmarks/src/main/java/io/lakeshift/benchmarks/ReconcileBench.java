package io.lakeshift.benchmarks;

import io.lakeshift.batch.TableReconciler;
import io.lakeshift.migration.ReconciliationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

/**
 * Reconciliation at scale, independent of the tests: N rows (default 1,000,000) written by a
 * "batch run" and by a "streaming job" whose table has moved on since the batch position (1% of
 * the keys changed after it, their earlier versions in the changelog) and holds three rows changed
 * behind its back. Prints the report and the time, and appends the figure to
 * {@code <dir>/reconcile-bench.txt}.
 *
 * <p>Run as {@code lakeshift bench reconcile [--rows N]}; the last line of output is
 * {@code bench reconcile: rows=<n> seconds=<n> differing=<n>}.
 */
public final class ReconcileBench {

    private ReconcileBench() {
    }

    /** Runs the benchmark with its tables under {@code dir}; returns the report. */
    public static ReconciliationReport run(long rows, Path dir) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("lakeshift-reconcile-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .config("spark.sql.catalog.bench", "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog.bench.type", "hadoop")
                .config("spark.sql.catalog.bench.warehouse", dir.resolve("warehouse").toString())
                .getOrCreate();
        try {
            long p = 1_000_000_000L;
            String cols = "order_id BIGINT, customer_id BIGINT, status STRING, amount DECIMAL(12,2), ordered_at TIMESTAMP, note STRING";
            String gen = "SELECT id AS order_id, id % 5000 AS customer_id, CASE id % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'paid'"
                    + " ELSE 'shipped' END AS status, CAST(id % 100000 / 100.0 AS DECIMAL(12,2)) AS amount,"
                    + " TIMESTAMP '2026-01-01 00:00:00' + make_interval(0, 0, 0, 0, 0, 0, id % 86400) AS ordered_at,"
                    + " CASE WHEN id % 7 = 0 THEN NULL ELSE concat('n', id) END AS note";
            spark.sql("CREATE TABLE bench.retail.orders (" + cols + ", _ls_seq_hi BIGINT, _ls_seq_lo BIGINT) USING iceberg");
            spark.sql("CREATE TABLE bench.retail.orders__shadow (" + cols + ", _ls_seq_hi BIGINT, _ls_seq_lo BIGINT) USING iceberg");
            spark.sql("CREATE TABLE bench.retail.orders__shadow__changelog (" + cols
                    + ", _ls_seq_hi BIGINT, _ls_seq_lo BIGINT, _ls_op STRING, _ls_kafka_offset BIGINT) USING iceberg");
            long t0 = System.currentTimeMillis();
            spark.sql("INSERT INTO bench.retail.orders SELECT *, NULL, NULL FROM (" + gen + " FROM range(" + rows + "))");
            Table batch = Spark3Util.loadIcebergTable(spark, "bench.retail.orders");
            batch.refresh();
            // as a batch job would: record the position it read at (here a made-up LSN)
            batch.manageSnapshots().createTag("bench", batch.currentSnapshot().snapshotId()).commit();
            // streaming: same rows; 1% changed after the position (their pre-position version in the changelog)
            spark.sql("INSERT INTO bench.retail.orders__shadow SELECT order_id, customer_id,"
                    + " CASE WHEN order_id % 100 = 0 THEN 'changed-later' ELSE status END, amount, ordered_at, note,"
                    + " CASE WHEN order_id % 100 = 0 THEN " + (p + 10) + " ELSE " + (p - 10) + " END, 1 FROM (" + gen
                    + " FROM range(" + rows + "))");
            spark.sql("INSERT INTO bench.retail.orders__shadow__changelog SELECT order_id, customer_id, status, amount,"
                    + " ordered_at, note, " + (p - 10) + ", 1, 'u', order_id FROM (" + gen + " FROM range(" + rows
                    + ")) WHERE order_id % 100 = 0 UNION ALL SELECT order_id, customer_id, 'changed-later', amount, ordered_at,"
                    + " note, " + (p + 10) + ", 1, 'u', order_id + " + rows + " FROM (" + gen + " FROM range(" + rows
                    + ")) WHERE order_id % 100 = 0");
            // three rows changed behind the pipeline's back
            spark.sql("UPDATE bench.retail.orders__shadow SET status = 'tampered' WHERE order_id IN (7, 70001, 123457)");
            long prepared = System.currentTimeMillis() - t0;
            long snapshot = batch.refs().get("bench").snapshotId();
            TableReconciler.Request request = new TableReconciler.Request(List.of("order_id"), "bench.retail.orders", snapshot, p,
                    "bench.retail.orders__shadow", List.of("bench.retail.orders__shadow__changelog"), 5);
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            TableReconciler.Outcome outcome = new TableReconciler(spark).reconcile(request);
            ReconciliationReport report = new ReconciliationReport("bench.orders", Instant.now(), p, snapshot, outcome.batchRows(),
                    outcome.streamingRows(), outcome.missing(), outcome.extra(), outcome.differing(), outcome.samples(),
                    outcome.durationMs());
            long cpuMs = (os.getProcessCpuTime() - cpu0) / 1_000_000;
            String line = String.format("%s reconcile %,d rows (1%% rebuilt from the changelog): %,d ms wall, %,d ms CPU,"
                    + " on %d cores at load average %.1f; %s", Instant.now(), rows, report.durationMs(), cpuMs,
                    Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage(), report.summary());
            System.out.println("prepared the tables in " + prepared + " ms");
            System.out.println(line);
            report.samples().forEach(s -> System.out.println("  " + s));
            Files.writeString(dir.resolve("reconcile-bench.txt"), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            return report;
        } finally {
            spark.stop();
        }
    }

}
