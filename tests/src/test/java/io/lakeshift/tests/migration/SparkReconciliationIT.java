package io.lakeshift.tests.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.cli.migrate.SparkReconciler;
import io.lakeshift.cli.migrate.SparkTableCopier;
import io.lakeshift.migration.ReconcileRequest;
import io.lakeshift.migration.ReconciliationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's Spark side on real Spark and Iceberg: reconciliation at a source position (with keys
 * changed after it rebuilt from the changelog) names the rows changed behind the pipeline's back,
 * and the promotion copy replaces a table's content in one commit carrying the transition id.
 */
class SparkReconciliationIT {

    @TempDir
    static Path dir;
    static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("migration-it")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .config("spark.sql.catalog.mig", "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog.mig.type", "hadoop")
                .config("spark.sql.catalog.mig.warehouse", dir.resolve("warehouse").toString())
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void comparesAtTheBatchPositionAndNamesTheRowsThatDiffer() throws Exception {
        String cols = "order_id BIGINT, status STRING, amount DECIMAL(12,2), _ls_seq_hi BIGINT, _ls_seq_lo BIGINT";
        spark.sql("CREATE TABLE mig.retail.orders (" + cols + ") USING iceberg");
        spark.sql("CREATE TABLE mig.retail.orders__shadow (" + cols + ") USING iceberg");
        spark.sql("CREATE TABLE mig.retail.orders__shadow__changelog (" + cols + ", _ls_op STRING, _ls_kafka_offset BIGINT)"
                + " USING iceberg");
        // the batch run read the source at position 100
        spark.sql("INSERT INTO mig.retail.orders VALUES (1, 'new', 10.00, NULL, NULL), (2, 'paid', 20.00, NULL, NULL),"
                + " (3, 'shipped', 30.00, NULL, NULL), (4, 'new', 40.00, NULL, NULL), (5, 'paid', NULL, NULL, NULL)");
        Table batch = Spark3Util.loadIcebergTable(spark, "mig.retail.orders");
        batch.refresh();
        Snapshot batchRun = batch.currentSnapshot();
        // streaming: key 2 updated at 150 and key 4 deleted at 160 (after the position), key 6 inserted at 170;
        // key 3 changed behind the pipeline's back; key 5 has no amount in the stream either
        spark.sql("INSERT INTO mig.retail.orders__shadow__changelog VALUES"
                + " (1, 'new', 10.00, 50, 0, 'r', 0), (2, 'paid', 20.00, 50, 0, 'r', 1), (3, 'shipped', 30.00, 50, 0, 'r', 2),"
                + " (4, 'new', 40.00, 50, 0, 'r', 3), (5, 'paid', NULL, 50, 0, 'r', 4),"
                + " (2, 'refunded', 20.00, 150, 1, 'u', 5), (4, NULL, NULL, 160, 1, 'd', 6), (6, 'new', 60.00, 170, 1, 'c', 7)");
        spark.sql("INSERT INTO mig.retail.orders__shadow VALUES (1, 'new', 10.00, 50, 0), (2, 'refunded', 20.00, 150, 1),"
                + " (3, 'lost', 30.00, 50, 0), (5, 'paid', NULL, 50, 0), (6, 'new', 60.00, 170, 1)");

        ReconciliationReport report = new SparkReconciler(spark).reconcile(new ReconcileRequest("retail.orders",
                List.of("order_id"), "mig.retail.orders", batchRun.snapshotId(), 100, "mig.retail.orders__shadow",
                List.of("mig.retail.orders__shadow__changelog"), 5));

        assertThat(report.batchRows()).isEqualTo(5);
        assertThat(report.streamingRows()).isEqualTo(5);
        assertThat(report.missing()).isZero();
        assertThat(report.extra()).isZero();
        assertThat(report.differing()).isEqualTo(1);
        assertThat(report.samples()).containsExactly("differing order_id=3: status batch 'shipped', streaming 'lost'");

        // a row the stream lacks and one it has extra
        spark.sql("DELETE FROM mig.retail.orders__shadow WHERE order_id = 1");
        spark.sql("INSERT INTO mig.retail.orders__shadow VALUES (9, 'ghost', 1.00, 60, 0)");
        ReconciliationReport second = new SparkReconciler(spark).reconcile(new ReconcileRequest("retail.orders",
                List.of("order_id"), "mig.retail.orders", batchRun.snapshotId(), 100, "mig.retail.orders__shadow",
                List.of("mig.retail.orders__shadow__changelog"), 5));
        assertThat(second.samples()).contains("missing order_id=1 (in batch output only: status='new', amount=10.00)",
                "extra order_id=9 (in streaming output only: status='ghost', amount=1.00)");

        // promotion: the shadow's content becomes the table's in one commit that names the transition
        long promoted = new SparkTableCopier(spark, "mig").replaceContents("retail.orders__shadow", "retail.orders",
                Map.of("lakeshift.migration.transition", "t-1:promote"));
        batch.refresh();
        assertThat(batch.currentSnapshot().snapshotId()).isEqualTo(promoted);
        assertThat(batch.currentSnapshot().summary()).containsEntry("lakeshift.migration.transition", "t-1:promote");
        assertThat(spark.sql("SELECT order_id FROM mig.retail.orders ORDER BY order_id").as(
                org.apache.spark.sql.Encoders.LONG()).collectAsList()).containsExactly(2L, 3L, 5L, 6L, 9L);
    }
}
