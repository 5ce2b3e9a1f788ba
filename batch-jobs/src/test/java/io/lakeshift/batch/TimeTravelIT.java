package io.lakeshift.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Time travel through the SQL that {@code lakeshift sql} passes to Spark as it is: snapshot ids,
 * timestamps, tags and branches, and the snapshots metadata table.
 */
class TimeTravelIT {

    @Test
    void queriesEarlierSnapshotsByIdTimestampTagAndBranch() throws Exception {
        SparkSession spark = SharedSpark.spark();
        String t = SharedSpark.table("travel.orders");
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lakeshift.travel");
        spark.sql("CREATE TABLE " + t + " (order_id bigint, status string) USING iceberg TBLPROPERTIES ('format-version'='2')");
        spark.sql("INSERT INTO " + t + " VALUES (1, 'NEW'), (2, 'NEW')");
        Table table = Spark3Util.loadIcebergTable(spark, t);
        long first = table.currentSnapshot().snapshotId();
        String firstTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(table.currentSnapshot().timestampMillis()));
        Thread.sleep(20);
        spark.sql("ALTER TABLE " + t + " CREATE TAG `before-payment`");
        spark.sql("UPDATE " + t + " SET status = 'PAID' WHERE order_id = 1");
        spark.sql("ALTER TABLE " + t + " CREATE BRANCH audit");
        spark.sql("INSERT INTO " + t + ".branch_audit VALUES (3, 'AUDIT')");

        assertThat(rows(t + " FOR VERSION AS OF " + first)).containsExactly(List.of("1", "NEW"), List.of("2", "NEW"));
        assertThat(rows(t + " FOR TIMESTAMP AS OF TIMESTAMP '" + firstTime + "' ")).containsExactly(List.of("1", "NEW"),
                List.of("2", "NEW"));
        assertThat(rows(t + " VERSION AS OF 'before-payment'")).containsExactly(List.of("1", "NEW"), List.of("2", "NEW"));
        assertThat(rows(t)).containsExactly(List.of("1", "PAID"), List.of("2", "NEW"));
        assertThat(rows(t + " VERSION AS OF 'audit'")).containsExactly(List.of("1", "PAID"), List.of("2", "NEW"),
                List.of("3", "AUDIT"));
        assertThat(rows(t + ".branch_audit")).hasSize(3);

        SqlRunner.QueryResult refs = SqlRunner.run(spark, "SELECT name, type FROM " + t + ".refs ORDER BY name", 10);
        assertThat(refs.rows()).containsExactly(List.of("audit", "BRANCH"), List.of("before-payment", "TAG"),
                List.of("main", "BRANCH"));
        SqlRunner.QueryResult snapshots = SqlRunner.run(spark, "SELECT snapshot_id FROM " + t + ".snapshots", 10);
        assertThat(snapshots.rows()).hasSize(3);
    }

    private static List<List<String>> rows(String from) {
        return SqlRunner.run(SharedSpark.spark(), "SELECT order_id, status FROM " + from + " ORDER BY order_id", 100).rows();
    }
}
