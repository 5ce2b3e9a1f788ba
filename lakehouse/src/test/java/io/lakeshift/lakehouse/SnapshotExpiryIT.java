package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.util.SnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot expiry on a real table in a real JDBC catalog: old snapshots go, branch and tag heads
 * stay, and so does every snapshot a Lakeshift job needs to find its last committed batch.
 */
class SnapshotExpiryIT {

    private static final String JOB = "apply-retail";

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

    /** Two days from now: every snapshot committed by the test is older than a one-day retention. */
    private static Clock later() {
        return Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
    }

    @Test
    void keepsTheNewestBatchMarkerAndEverythingAfterIt() {
        Table table = TestTables.create(catalog, "retail.orders");
        for (long batch = 0; batch < 8; batch++) {
            TestTables.append(table, 1000, 10, JOB, batch);
        }
        // Compaction-like commits without markers after the job's last batch.
        for (int i = 0; i < 4; i++) {
            TestTables.append(table, 1000, 10, null, null);
        }

        SnapshotExpiry.Result result = SnapshotExpiry.expire(table, Duration.ofDays(1), 1, later());

        assertThat(result.expiredSnapshots()).isEqualTo(7);
        assertThat(result.remainingSnapshots()).isEqualTo(5);
        assertThat(result.deletedFiles()).isPositive();
        assertThat(lastCommittedBatch(table, JOB)).isEqualTo(7);
    }

    @Test
    void withoutProtectionTheMarkerWouldBeGone() {
        Table table = TestTables.create(catalog, "retail.orders");
        TestTables.append(table, 1000, 10, JOB, 0L);
        for (int i = 0; i < 3; i++) {
            TestTables.append(table, 1000, 10, null, null);
        }
        long cutoff = later().millis() - Duration.ofDays(1).toMillis();

        // What Iceberg alone would do with the same retention.
        List<Snapshot> plain = table.expireSnapshots().expireOlderThan(cutoff).retainLast(1).apply();
        assertThat(plain).hasSize(3);

        SnapshotExpiry.expire(table, Duration.ofDays(1), 1, later());
        assertThat(lastCommittedBatch(table, JOB)).isEqualTo(0);
    }

    @Test
    void keepsTheOldestNeededMarkerOfEveryJob() {
        Table table = TestTables.create(catalog, "retail.orders");
        TestTables.append(table, 1000, 10, "full-reload-retail.orders", null);
        TestTables.append(table, 1000, 10, JOB, 1L);
        TestTables.append(table, 1000, 10, "apply-other", 5L);
        TestTables.append(table, 1000, 10, JOB, 2L);
        TestTables.append(table, 1000, 10, null, null);

        SnapshotExpiry.Result result = SnapshotExpiry.expire(table, Duration.ofDays(1), 1, later());

        assertThat(result.protection().newestByJob()).containsOnlyKeys("main/" + JOB, "main/apply-other",
                "main/full-reload-retail.orders");
        assertThat(result.expiredSnapshots()).isZero();
        assertThat(lastCommittedBatch(table, "apply-other")).isEqualTo(5);
    }

    @Test
    void keepsBranchAndTagHeads() {
        Table table = TestTables.create(catalog, "retail.orders");
        TestTables.append(table, 1000, 10, null, null);
        long tagged = table.currentSnapshot().snapshotId();
        table.manageSnapshots().createTag("before-migration", tagged).commit();
        TestTables.append(table, 1000, 10, null, null);
        table.manageSnapshots().createBranch("shadow", table.currentSnapshot().snapshotId()).commit();
        long shadowHead = table.currentSnapshot().snapshotId();
        for (int i = 0; i < 3; i++) {
            TestTables.append(table, 1000, 10, null, null);
        }

        SnapshotExpiry.expire(table, Duration.ofDays(1), 1, later());

        table.refresh();
        assertThat(table.snapshot(tagged)).isNotNull();
        assertThat(table.snapshot(shadowHead)).isNotNull();
        assertThat(table.refs()).containsKeys("main", "shadow", "before-migration");
        assertThat(countSnapshots(table)).isEqualTo(3);
    }

    @Test
    void protectsMarkersOnEveryBranch() {
        Table table = TestTables.create(catalog, "retail.orders");
        TestTables.append(table, 1000, 10, null, null);
        table.manageSnapshots().createBranch("shadow", table.currentSnapshot().snapshotId()).commit();
        for (long batch = 0; batch < 3; batch++) {
            table.newAppend().appendFile(TestTables.dataFile(table, 10, 1)).toBranch("shadow")
                    .set(SnapshotProtection.JOB, "apply-shadow").set(SnapshotProtection.BATCH_ID, Long.toString(batch)).commit();
        }

        SnapshotProtection protection = SnapshotProtection.of(table);
        SnapshotExpiry.expire(table, Duration.ofDays(1), 1, later());

        assertThat(protection.newestByJob()).containsKey("shadow/apply-shadow");
        table.refresh();
        assertThat(table.snapshot(protection.newestByJob().get("shadow/apply-shadow")).summary())
                .containsEntry(SnapshotProtection.BATCH_ID, "2");
    }

    @Test
    void refusesWhenABranchRetentionWouldDropAMarker() {
        Table table = TestTables.create(catalog, "retail.orders");
        TestTables.append(table, 1000, 10, JOB, 0L);
        table.manageSnapshots().createBranch("shadow", table.currentSnapshot().snapshotId())
                .setMaxSnapshotAgeMs("shadow", 1).setMinSnapshotsToKeep("shadow", 1).commit();
        table.newAppend().appendFile(TestTables.dataFile(table, 10, 1)).toBranch("shadow").commit();
        table.newAppend().appendFile(TestTables.dataFile(table, 10, 1)).toBranch("shadow").commit();
        int before = countSnapshots(table);

        assertThatThrownBy(() -> SnapshotExpiry.expire(table, Duration.ofDays(1), 1, later()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Nothing was expired");
        table.refresh();
        assertThat(countSnapshots(table)).isEqualTo(before);
    }

    @Test
    void anEmptyTableHasNothingToExpire() {
        Table table = TestTables.create(catalog, "retail.empty");

        SnapshotExpiry.Result result = SnapshotExpiry.expire(table, Duration.ofDays(1), 1, later());

        assertThat(result.expiredSnapshots()).isZero();
        assertThat(result.remainingSnapshots()).isZero();
    }

    /** What the streaming job's CommittedBatches does after a crash: walk back from the head. */
    private static long lastCommittedBatch(Table table, String job) {
        table.refresh();
        for (Snapshot s : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
            if (job.equals(s.summary().get(SnapshotProtection.JOB)) && s.summary().containsKey(SnapshotProtection.BATCH_ID)) {
                return Long.parseLong(s.summary().get(SnapshotProtection.BATCH_ID));
            }
        }
        return -1;
    }

    private static int countSnapshots(Table table) {
        List<Snapshot> all = new ArrayList<>();
        table.snapshots().forEach(all::add);
        return all.size();
    }
}
