package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table health and the snapshot listing read from a real table's metadata. */
class TableHealthIT {

    @TempDir
    Path dir;

    private Catalog catalog;

    @BeforeEach
    void open() {
        catalog = IcebergCatalogs.open(TestTables.sqliteCatalog(dir));
    }

    @AfterEach
    void close() {
        IcebergCatalogs.close(catalog);
    }

    @Test
    void countsFilesDeletesSnapshotsAndRows() {
        Table table = TestTables.create(catalog, "retail.orders");
        DataFile first = TestTables.append(table, 2_000, 100, null, null);
        TestTables.append(table, 50L * 1024 * 1024, 5_000, null, null);
        TestTables.append(table, 3_000, 200, "apply-retail", 0L);
        TestTables.positionDeletes(table, first, 7);

        TableHealth health = TableHealth.of("retail.orders", table, HealthThresholds.defaults(), Clock.systemUTC());

        assertThat(health.dataFiles()).isEqualTo(3);
        assertThat(health.smallDataFiles()).isEqualTo(2);
        assertThat(health.dataBytes()).isEqualTo(5_000 + 50L * 1024 * 1024);
        assertThat(health.averageFileBytes()).isEqualTo(health.dataBytes() / 3);
        assertThat(health.positionDeleteFiles()).isEqualTo(1);
        assertThat(health.equalityDeleteFiles()).isZero();
        assertThat(health.dataRecords()).isEqualTo(5_300);
        assertThat(health.rows()).isEqualTo(5_293);
        assertThat(health.rowsExact()).isFalse();
        assertThat(health.snapshots()).isEqualTo(4);
        assertThat(health.branches()).isEqualTo(1);
        assertThat(health.currentSnapshotId()).isEqualTo(table.currentSnapshot().snapshotId());
        assertThat(health.lastCommitAge()).isLessThan(Duration.ofMinutes(5));
        assertThat(health.warnings()).isEmpty();
    }

    @Test
    void warnsWhenAThresholdIsCrossed() {
        Table table = TestTables.create(catalog, "retail.orders");
        for (int i = 0; i < 6; i++) {
            DataFile f = TestTables.append(table, 1_000, 10, "apply-retail", (long) i);
            TestTables.positionDeletes(table, f, 1);
        }
        HealthThresholds strict = new HealthThresholds(32L * 1024 * 1024, 5, 10, 5, Duration.ofMillis(1));

        TableHealth health = TableHealth.of("retail.orders", table, strict, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)));

        assertThat(health.warnings()).hasSize(4);
        assertThat(health.warnings().get(0)).startsWith("too many small files: 6 of 6 data files are under 32.0 MB (threshold 5)")
                .endsWith("run 'lakeshift maintain retail.orders'");
        assertThat(health.warnings().get(1)).startsWith("too many snapshots: 12 (threshold 10)");
        assertThat(health.warnings().get(2)).startsWith("too many delete files: 6 (threshold 5)");
        assertThat(health.warnings().get(3)).startsWith("stale: last commit");
    }

    @Test
    void anEmptyTableIsHealthy() {
        Table table = TestTables.create(catalog, "retail.empty");

        TableHealth health = TableHealth.of("retail.empty", table, HealthThresholds.defaults(), Clock.systemUTC());

        assertThat(health.dataFiles()).isZero();
        assertThat(health.currentSnapshotId()).isNull();
        assertThat(health.lastCommit()).isNull();
        assertThat(health.rows()).isZero();
        assertThat(health.rowsExact()).isTrue();
        assertThat(health.healthy()).isTrue();
    }

    @Test
    void listsSnapshotsNewestFirstWithBranchesAndTags() {
        Table table = TestTables.create(catalog, "retail.orders");
        TestTables.append(table, 1_000, 10, null, null);
        long first = table.currentSnapshot().snapshotId();
        table.manageSnapshots().createTag("v1", first).commit();
        TestTables.append(table, 1_000, 10, "apply-retail", 3L);
        table.manageSnapshots().createBranch("shadow", table.currentSnapshot().snapshotId()).commit();

        TableSnapshots listing = TableSnapshots.of("retail.orders", table, 100);

        assertThat(listing.snapshots()).hasSize(2);
        assertThat(listing.snapshots().get(0).summary()).containsEntry("lakeshift.job", "apply-retail")
                .containsEntry("lakeshift.batch-id", "3").containsEntry("added-records", "10");
        assertThat(listing.snapshots().get(0).refs()).containsExactly("main", "shadow");
        assertThat(listing.snapshots().get(1).snapshotId()).isEqualTo(first);
        assertThat(listing.snapshots().get(1).refs()).containsExactly("v1");
        assertThat(listing.refs()).extracting(TableSnapshots.Ref::name).containsExactly("main", "shadow", "v1");
        assertThat(listing.refs()).extracting(TableSnapshots.Ref::type).containsExactly("branch", "branch", "tag");
        assertThat(TableSnapshots.of("retail.orders", table, 1).snapshots()).hasSize(1);
    }
}
