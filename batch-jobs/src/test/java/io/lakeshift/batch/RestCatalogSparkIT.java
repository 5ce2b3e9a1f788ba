package io.lakeshift.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.lakehouse.CatalogProperties;
import io.lakeshift.lakehouse.MaintenanceSettings;
import io.lakeshift.lakehouse.RestCatalogServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark jobs on an Iceberg REST catalog: the REST catalog server runs in its own process (Jetty
 * 12 cannot share Spark's JVM); Spark reaches it through the catalog settings Lakeshift computes
 * for {@code catalog.type: rest}. Tables are created, MERGEd, time-travelled and maintained
 * through the REST protocol.
 */
class RestCatalogSparkIT {

    private static final String CATALOG = "rest_lake";
    private static Path dir;
    private static RestCatalogServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lakeshift-rest-it");
        server = RestCatalogServerProcess.start(dir.resolve("server"));
        CatalogConfig rest = new CatalogConfig(CATALOG, "rest", server.uri(), "", "", Secret.of("token-for-spark"), Map.of());
        SparkSession spark = SharedSpark.spark();
        CatalogProperties.sparkConf(rest).forEach((k, v) -> spark.conf().set(k, v));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sparkWritesMergesTimeTravelsAndMaintainsThroughRest() throws Exception {
        SparkSession spark = SharedSpark.spark();
        String t = CATALOG + ".shop.orders";
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + CATALOG + ".shop");
        spark.sql("CREATE TABLE " + t + " (order_id bigint NOT NULL, status string) USING iceberg TBLPROPERTIES"
                + " ('format-version'='2', 'write.merge.mode'='merge-on-read', 'write.update.mode'='merge-on-read',"
                + " 'write.delete.mode'='merge-on-read')");
        for (int i = 0; i < 4; i++) {
            spark.sql("INSERT INTO " + t + " VALUES (" + (i * 2) + ", 'NEW'), (" + (i * 2 + 1) + ", 'NEW')");
        }
        long before = Spark3Util.loadIcebergTable(spark, t).currentSnapshot().snapshotId();
        spark.sql("SELECT col1 AS order_id, col2 AS status, col3 AS op FROM VALUES (1, 'PAID', 'u'), (2, '', 'd'), (9, 'NEW', 'c')")
                .createOrReplaceTempView("rest_changes");
        spark.sql("MERGE INTO " + t + " t USING rest_changes s ON t.order_id = s.order_id"
                + " WHEN MATCHED AND s.op = 'd' THEN DELETE WHEN MATCHED THEN UPDATE SET t.status = s.status"
                + " WHEN NOT MATCHED AND s.op <> 'd' THEN INSERT (order_id, status) VALUES (s.order_id, s.status)");

        assertThat(rows("SELECT order_id, status FROM " + t + " ORDER BY order_id")).containsExactly("0 NEW", "1 PAID", "3 NEW",
                "4 NEW", "5 NEW", "6 NEW", "7 NEW", "9 NEW");
        assertThat(rows("SELECT count(*) FROM " + t + " FOR VERSION AS OF " + before)).containsExactly("8");

        MaintenanceReport report = new TableMaintenance(spark, CATALOG).run("shop.orders",
                MaintenanceSettings.defaults().withMinInputFiles(2).withDeleteFileThreshold(1));

        assertThat(report.dataFilesAfter()).isLessThan(report.dataFilesBefore());
        assertThat(report.deleteFilesAfter()).isZero();
        spark.sql("REFRESH TABLE " + t);
        assertThat(rows("SELECT count(*), sum(order_id) FROM " + t)).containsExactly("8 35");
        Table table = Spark3Util.loadIcebergTable(spark, t);
        assertThat(table.location()).startsWith(dir.resolve("server").toString());
        assertThat(new TableMaintenance(spark, CATALOG).tables()).containsExactly("shop.orders");
    }

    private static List<String> rows(String sql) {
        return SharedSpark.spark().sql(sql).collectAsList().stream().map(RestCatalogSparkIT::text).toList();
    }

    private static String text(Row r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.length(); i++) {
            sb.append(i == 0 ? "" : " ").append(r.get(i));
        }
        return sb.toString();
    }
}
