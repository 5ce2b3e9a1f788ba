package io.lakeshift.lakehouse;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires old snapshots of a table and deletes the files only they referenced, keeping branch and
 * tag heads (Iceberg's ref retention), the newest {@code minSnapshotsToKeep} of each branch, and
 * everything {@link SnapshotProtection} says a Lakeshift job needs. Engine-agnostic: a scheduled
 * job without Spark can run it.
 *
 * <p>Safe while writers commit: protected snapshots are kept by moving the age cutoff back to the
 * oldest of them (so snapshots committed meanwhile, all younger, cannot push them out of a
 * count-based retention) and by checking the planned expiry before committing it; Iceberg's
 * commit retries re-plan on a concurrent commit.
 */
public final class SnapshotExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotExpiry.class);

    /**
     * @param expiredSnapshots snapshots removed from the table metadata
     * @param remainingSnapshots snapshots left
     * @param deletedFiles data, delete, manifest and manifest-list files deleted with them
     * @param protection what was protected
     * @param cutoffMillis snapshots older than this (and not otherwise kept) were expired
     * @param retainLast the newest snapshots kept per branch whatever their age
     */
    public record Result(int expiredSnapshots, int remainingSnapshots, long deletedFiles, SnapshotProtection protection,
            long cutoffMillis, int retainLast) {
    }

    private SnapshotExpiry() {
    }

    /**
     * Expires snapshots older than {@code retention}.
     *
     * @throws IllegalStateException when the expiry Iceberg plans would remove a protected snapshot
     *     (a branch with its own, shorter retention); nothing is expired then
     */
    public static Result expire(Table table, Duration retention, int minSnapshotsToKeep, Clock clock) {
        table.refresh();
        if (!table.snapshots().iterator().hasNext()) {
            return new Result(0, 0, 0, SnapshotProtection.of(table), clock.millis(), minSnapshotsToKeep);
        }
        SnapshotProtection protection = SnapshotProtection.of(table);
        long cutoff = clock.millis() - retention.toMillis();
        if (!protection.isEmpty()) {
            // Every protected snapshot is then young enough to be kept by age, however many commits land meanwhile.
            cutoff = Math.min(cutoff, protection.oldestProtectedMillis());
        }
        int retainLast = Math.max(Math.max(1, minSnapshotsToKeep), protection.longestChain());
        AtomicLong deleted = new AtomicLong();
        ExpireSnapshots expire = table.expireSnapshots()
                .expireOlderThan(cutoff)
                .retainLast(retainLast)
                .cleanExpiredFiles(true)
                .deleteWith(path -> {
                    table.io().deleteFile(path);
                    deleted.incrementAndGet();
                });
        List<Snapshot> planned = expire.apply();
        List<Long> violating = planned.stream().map(Snapshot::snapshotId).filter(protection.protectedIds()::contains).toList();
        if (!violating.isEmpty()) {
            throw new IllegalStateException("expiring snapshots of " + table.name() + " would remove snapshot(s) " + violating
                    + " that Lakeshift jobs need (" + protection.newestByJob() + "); a branch has its own shorter retention."
                    + " Nothing was expired");
        }
        if (planned.isEmpty()) {
            int remaining = sizeOf(table.snapshots());
            LOG.info("Table {}: no snapshot to expire ({} snapshots, {} protected for jobs {})", table.name(), remaining,
                    protection.protectedIds().size(), protection.newestByJob().keySet());
            return new Result(0, remaining, 0, protection, cutoff, retainLast);
        }
        expire.commit();
        table.refresh();
        int remaining = sizeOf(table.snapshots());
        LOG.info("Table {}: expired {} snapshot(s), {} left, {} file(s) deleted; kept {} snapshot(s) for jobs {}", table.name(),
                planned.size(), remaining, deleted.get(), protection.protectedIds().size(), protection.newestByJob().keySet());
        return new Result(planned.size(), remaining, deleted.get(), protection, cutoff, retainLast);
    }

    private static int sizeOf(Iterable<Snapshot> snapshots) {
        int n = 0;
        for (Snapshot ignored : snapshots) {
            n++;
        }
        return n;
    }
}
