package io.lakeshift.lakehouse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;

/**
 * A table's snapshots (newest first) and its branches and tags: what time travel
 * ({@code FOR VERSION AS OF <id|branch|tag>}, {@code FOR TIMESTAMP AS OF}) can reach.
 *
 * @param table the table name
 * @param snapshots snapshots, newest first
 * @param refs branches and tags, main first
 */
public record TableSnapshots(String table, List<Entry> snapshots, List<Ref> refs) {

    /** Summary keys worth showing beside a snapshot. */
    static final List<String> SHOWN = List.of("added-data-files", "added-delete-files", "added-records", "deleted-records",
            "added-position-deletes", "total-records");

    /**
     * One snapshot.
     *
     * @param snapshotId id, for {@code FOR VERSION AS OF}
     * @param parentId parent, null for the first
     * @param committedAt commit time, for {@code FOR TIMESTAMP AS OF}
     * @param operation append, overwrite, delete or replace (compaction)
     * @param refs branches and tags pointing at it
     * @param summary selected summary entries plus every {@code lakeshift.*} entry
     */
    public record Entry(long snapshotId, Long parentId, Instant committedAt, String operation, List<String> refs,
            Map<String, String> summary) {
    }

    /**
     * A branch or a tag.
     *
     * @param name its name
     * @param type {@code branch} or {@code tag}
     * @param snapshotId the snapshot it points at
     * @param maxRefAgeMs how long the ref itself is kept, null for the table default
     * @param minSnapshotsToKeep a branch's own snapshot retention, null for the table default
     * @param maxSnapshotAgeMs a branch's own snapshot age limit, null for the table default
     */
    public record Ref(String name, String type, long snapshotId, Long maxRefAgeMs, Integer minSnapshotsToKeep,
            Long maxSnapshotAgeMs) {
    }

    public TableSnapshots {
        snapshots = List.copyOf(snapshots);
        refs = List.copyOf(refs);
    }

    /** Lists the snapshots and refs of {@code table}; at most {@code limit} snapshots, newest first. */
    public static TableSnapshots of(String name, Table table, int limit) {
        table.refresh();
        Map<Long, List<String>> refsBySnapshot = new LinkedHashMap<>();
        List<Ref> refs = new ArrayList<>();
        table.refs().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, SnapshotRef> e) -> !e.getKey().equals(SnapshotRef.MAIN_BRANCH))
                        .thenComparing(e -> e.getValue().isTag())
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    SnapshotRef r = e.getValue();
                    refs.add(new Ref(e.getKey(), r.isBranch() ? "branch" : "tag", r.snapshotId(), r.maxRefAgeMs(),
                            r.minSnapshotsToKeep(), r.maxSnapshotAgeMs()));
                    refsBySnapshot.computeIfAbsent(r.snapshotId(), k -> new ArrayList<>()).add(e.getKey());
                });
        List<Snapshot> all = new ArrayList<>();
        table.snapshots().forEach(all::add);
        all.sort(Comparator.comparingLong(Snapshot::timestampMillis).thenComparingLong(Snapshot::sequenceNumber).reversed());
        List<Entry> entries = new ArrayList<>();
        for (Snapshot s : all.subList(0, Math.min(limit, all.size()))) {
            Map<String, String> summary = new LinkedHashMap<>();
            for (String key : SHOWN) {
                if (s.summary().containsKey(key)) {
                    summary.put(key, s.summary().get(key));
                }
            }
            s.summary().forEach((k, v) -> {
                if (k.startsWith(CatalogProperties.SUMMARY_PREFIX)) {
                    summary.put(k, v);
                }
            });
            entries.add(new Entry(s.snapshotId(), s.parentId(), Instant.ofEpochMilli(s.timestampMillis()), s.operation(),
                    refsBySnapshot.getOrDefault(s.snapshotId(), List.of()), summary));
        }
        return new TableSnapshots(name, entries, refs);
    }
}
