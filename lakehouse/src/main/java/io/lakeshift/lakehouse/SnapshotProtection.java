package io.lakeshift.lakehouse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The snapshots that snapshot expiry must keep so that Lakeshift's jobs stay effectively-once.
 *
 * <p>A job that commits to a table marks its commits in the snapshot summary
 * ({@value #JOB}, and {@value #BATCH_ID} for a streaming micro-batch). After a crash the streaming
 * job asks the table which batch it committed last by walking back from the branch head to its
 * newest marked snapshot; a downstream batch job finds its last processed input snapshots the same
 * way. Expire that snapshot, or any snapshot between it and the head, and the walk comes back
 * empty: the job would apply a batch twice (a known failure of Iceberg's Kafka Connect sink when
 * snapshots are expired under it). So for every branch, the newest snapshot of every job found in
 * the branch's history is protected, together with every ancestor between it and the branch head.
 *
 * @param newestByJob the newest marked snapshot per {@code branch/job}
 * @param protectedIds every protected snapshot id
 * @param oldestProtectedMillis commit time of the oldest protected snapshot, {@code Long.MAX_VALUE} when none
 * @param longestChain the most snapshots a branch needs from its head down to its oldest needed marker
 */
public record SnapshotProtection(Map<String, Long> newestByJob, Set<Long> protectedIds, long oldestProtectedMillis,
        int longestChain) {

    /** Snapshot summary key naming the Lakeshift job that made a commit. */
    public static final String JOB = CatalogProperties.SUMMARY_PREFIX + "job";
    /** Snapshot summary key with the streaming micro-batch id of a commit. */
    public static final String BATCH_ID = CatalogProperties.SUMMARY_PREFIX + "batch-id";

    public SnapshotProtection {
        newestByJob = Collections.unmodifiableMap(new LinkedHashMap<>(newestByJob));
        protectedIds = Collections.unmodifiableSet(new LinkedHashSet<>(protectedIds));
    }

    /** What {@code table} must keep, from its current metadata. */
    public static SnapshotProtection of(Table table) {
        Map<String, Long> newest = new LinkedHashMap<>();
        Set<Long> ids = new LinkedHashSet<>();
        long oldest = Long.MAX_VALUE;
        int longest = 0;
        for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
            if (!ref.getValue().isBranch()) {
                continue;
            }
            Map<String, Long> branchJobs = new LinkedHashMap<>();
            int depth = 0;
            int needed = 0;
            for (Snapshot snapshot : SnapshotUtil.ancestorsOf(ref.getValue().snapshotId(), table::snapshot)) {
                depth++;
                String job = snapshot.summary().get(JOB);
                if (job != null && !branchJobs.containsKey(job)) {
                    branchJobs.put(job, snapshot.snapshotId());
                    needed = depth;
                }
            }
            int i = 0;
            for (Snapshot snapshot : SnapshotUtil.ancestorsOf(ref.getValue().snapshotId(), table::snapshot)) {
                if (i++ >= needed) {
                    break;
                }
                ids.add(snapshot.snapshotId());
                oldest = Math.min(oldest, snapshot.timestampMillis());
            }
            longest = Math.max(longest, needed);
            branchJobs.forEach((job, id) -> newest.put(ref.getKey() + "/" + job, id));
        }
        return new SnapshotProtection(newest, ids, oldest, longest);
    }

    public boolean isEmpty() {
        return protectedIds.isEmpty();
    }
}
