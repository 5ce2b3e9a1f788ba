package io.lakeshift.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.lakehouse.CompanionTables;
import io.lakeshift.lakehouse.HealthThresholds;
import io.lakeshift.lakehouse.MaintenanceSettings;
import io.lakeshift.lakehouse.SnapshotProtection;
import io.lakeshift.lakehouse.TableHealth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * One maintenance pass over a table written the way streaming writes it (many small commits,
 * merge-on-read deletes): fewer files, no delete files, old snapshots gone but the streaming job's
 * last batch marker kept, old orphans removed and recent ones kept, manifests merged, same rows.
 */
class MaintenanceIT {

    @Test
    void compactsRewritesDeletesExpiresRemovesOrphansAndKeepsTheRows() throws Exception {
        SparkSession spark = SharedSpark.spark();
        String name = "maint.events";
        String t = SharedSpark.table(name);
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lakeshift.maint");
        spark.sql("CREATE TABLE " + t + " (id bigint NOT NULL, v string) USING iceberg TBLPROPERTIES ('format-version'='2',"
                + " 'write.merge.mode'='merge-on-read', 'write.update.mode'='merge-on-read', 'write.delete.mode'='merge-on-read')");
        for (int batch = 0; batch < 10; batch++) {
            int b = batch;
            CommitMetadata.withCommitProperties(Map.of(SnapshotProtection.JOB, "apply-maint",
                    SnapshotProtection.BATCH_ID, Integer.toString(b)), () -> spark.sql("INSERT INTO " + t + " VALUES ("
                            + (b * 3) + ", 'a'), (" + (b * 3 + 1) + ", 'b'), (" + (b * 3 + 2) + ", 'c')"), RuntimeException.class);
        }
        spark.sql("DELETE FROM " + t + " WHERE id IN (1, 4, 7)");
        spark.sql("UPDATE " + t + " SET v = 'updated' WHERE id IN (2, 5)");
        spark.sql("DELETE FROM " + t + " WHERE id = 10");
        List<Row> before = spark.sql("SELECT * FROM " + t + " ORDER BY id").collectAsList();

        Table table = Spark3Util.loadIcebergTable(spark, t);
        Path data = Path.of(table.location().replaceFirst("^file:", ""), "data");
        Path oldOrphan = Files.writeString(data.resolve("left-by-a-crashed-writer.parquet"), "x");
        Files.setLastModifiedTime(oldOrphan, FileTime.from(Instant.now().minus(Duration.ofDays(4))));
        Path freshOrphan = Files.writeString(data.resolve("commit-in-flight.parquet"), "x");

        HealthThresholds strict = new HealthThresholds(32L * 1024 * 1024, 5, 10, 2, null);
        TableHealth unhealthy = TableHealth.of(name, table, strict, Clock.systemUTC());
        assertThat(unhealthy.warnings()).hasSize(3);

        MaintenanceSettings settings = MaintenanceSettings.defaults()
                .withSnapshotRetention(Duration.ofMinutes(10), 1)
                .withMinInputFiles(2)
                .withDeleteFileThreshold(1);
        // A day from now: every snapshot is past the retention, the fresh orphan still inside the 3-day window.
        Clock tomorrow = Clock.offset(Clock.systemUTC(), Duration.ofDays(1));
        MaintenanceReport report = new TableMaintenance(spark, SharedSpark.CATALOG, tomorrow).run(name, settings);

        assertThat(report.dataFilesBefore()).isGreaterThanOrEqualTo(10);
        assertThat(report.dataFilesAfter()).isLessThanOrEqualTo(2);
        assertThat(report.deleteFilesBefore()).isPositive();
        assertThat(report.deleteFilesAfter()).isZero();
        assertThat(report.expiredSnapshots()).isPositive();
        assertThat(report.orphanFilesDeleted()).isEqualTo(1);
        assertThat(report.notes()).isEmpty();
        assertThat(Files.exists(oldOrphan)).isFalse();
        assertThat(Files.exists(freshOrphan)).isTrue();

        spark.sql("REFRESH TABLE " + t);
        assertThat(spark.sql("SELECT * FROM " + t + " ORDER BY id").collectAsList()).isEqualTo(before);
        table.refresh();
        assertThat(lastBatch(table, "apply-maint")).isEqualTo(9);
        TableHealth healthy = TableHealth.of(name, table, strict, Clock.systemUTC());
        assertThat(healthy.warnings()).isEmpty();
        assertThat(healthy.rowsExact()).isTrue();
        assertThat(healthy.rows()).isEqualTo(before.size());
        assertThat(report.summaryLine()).startsWith("maint.events: data files ");
    }

    @Test
    void mergesSmallManifestsAndListsEveryTable() throws Exception {
        SparkSession spark = SharedSpark.spark();
        String name = "maint.manifests";
        String t = SharedSpark.table(name);
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lakeshift.maint");
        spark.sql("CREATE TABLE " + t + " (id bigint, v string) USING iceberg TBLPROPERTIES ('format-version'='2')");
        for (int i = 0; i < 6; i++) {
            spark.sql("INSERT INTO " + t + " VALUES (" + i + ", 'x')");
        }
        Table table = Spark3Util.loadIcebergTable(spark, t);
        int manifestsBefore = table.currentSnapshot().dataManifests(table.io()).size();

        MaintenanceReport report = new TableMaintenance(spark, SharedSpark.CATALOG).run(name,
                MaintenanceSettings.defaults().withSteps(false, false, false, false, true));

        table.refresh();
        assertThat(manifestsBefore).isGreaterThanOrEqualTo(6);
        assertThat(report.rewrittenManifests()).isEqualTo(manifestsBefore);
        assertThat(table.currentSnapshot().dataManifests(table.io())).hasSize(1);
        assertThat(spark.sql("SELECT count(*) FROM " + t).first().getLong(0)).isEqualTo(6);
        assertThat(new TableMaintenance(spark, SharedSpark.CATALOG).tables()).contains("maint.manifests");
    }

    @Test
    void prunesOnlyTheDeleteMarkersThatANewerMarkerOrRowSupersedes() throws Exception {
        SparkSession spark = SharedSpark.spark();
        String items = SharedSpark.table("maint.items");
        String markersName = "maint.items" + CompanionTables.DELETES_SUFFIX;
        String markers = SharedSpark.table(markersName);
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lakeshift.maint");
        spark.sql("CREATE TABLE " + items + " (id bigint NOT NULL, v string, _ls_seq_hi bigint, _ls_seq_lo bigint)"
                + " USING iceberg TBLPROPERTIES ('format-version'='2')");
        spark.sql("CREATE TABLE " + markers + " (id bigint NOT NULL, _ls_seq_hi bigint NOT NULL, _ls_seq_lo bigint NOT NULL)"
                + " USING iceberg TBLPROPERTIES ('format-version'='2', '" + CompanionTables.DELETES_OF + "'='maint.items')");
        // 1: re-inserted after its delete (row newer); 2: deleted twice; 3: deleted, still gone;
        // 4: deleted after its row's position (the row is older); 5: same hi, newer lo in the row.
        spark.sql("INSERT INTO " + items + " VALUES (1, 'back', 20, 0), (4, 'stale', 5, 0), (5, 'back', 30, 7), (6, 'never deleted', 1, 0)");
        spark.sql("INSERT INTO " + markers + " VALUES (1, 10, 0), (2, 10, 0), (3, 15, 0)");
        spark.sql("INSERT INTO " + markers + " VALUES (2, 25, 1), (4, 40, 0), (5, 30, 3)");

        MaintenanceReport report = new TableMaintenance(spark, SharedSpark.CATALOG).run(markersName,
                MaintenanceSettings.defaults().withSteps(true, false, false, false, false).withMinInputFiles(2));

        spark.sql("REFRESH TABLE " + markers);
        assertThat(spark.sql("SELECT id, _ls_seq_hi, _ls_seq_lo FROM " + markers + " ORDER BY id").collectAsList())
                .extracting(Object::toString).containsExactly("[2,25,1]", "[3,15,0]", "[4,40,0]");
        assertThat(report.prunedDeleteMarkers()).isEqualTo(3);
        assertThat(report.summaryLine()).contains("3 superseded delete marker(s) pruned");
        assertThat(report.dataFilesAfter()).isEqualTo(1);
        assertThat(spark.sql("SELECT count(*) FROM " + items).first().getLong(0)).isEqualTo(4);

        MaintenanceReport again = new TableMaintenance(spark, SharedSpark.CATALOG).run(markersName,
                MaintenanceSettings.defaults().withSteps(true, false, false, false, false));
        assertThat(again.prunedDeleteMarkers()).isZero();
        assertThat(again.notes()).isEmpty();
    }

    @Test
    void keepsDeleteMarkersWhoseCurrentStateTableIsGone() {
        SparkSession spark = SharedSpark.spark();
        String markersName = "maint.gone" + CompanionTables.DELETES_SUFFIX;
        String markers = SharedSpark.table(markersName);
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lakeshift.maint");
        spark.sql("CREATE TABLE " + markers + " (id bigint NOT NULL, _ls_seq_hi bigint NOT NULL, _ls_seq_lo bigint NOT NULL)"
                + " USING iceberg TBLPROPERTIES ('format-version'='2', '" + CompanionTables.DELETES_OF + "'='maint.gone')");
        spark.sql("INSERT INTO " + markers + " VALUES (1, 10, 0), (1, 20, 0)");

        MaintenanceReport report = new TableMaintenance(spark, SharedSpark.CATALOG).run(markersName,
                MaintenanceSettings.defaults().withSteps(true, false, false, false, false));

        assertThat(report.prunedDeleteMarkers()).isZero();
        assertThat(report.notes()).containsExactly("delete markers kept: their current-state table maint.gone does not exist");
        assertThat(spark.sql("SELECT count(*) FROM " + markers).first().getLong(0)).isEqualTo(2);
    }

    static long lastBatch(Table table, String job) {
        for (Snapshot s : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
            if (job.equals(s.summary().get(SnapshotProtection.JOB)) && s.summary().containsKey(SnapshotProtection.BATCH_ID)) {
                return Long.parseLong(s.summary().get(SnapshotProtection.BATCH_ID));
            }
        }
        return -1;
    }
}
