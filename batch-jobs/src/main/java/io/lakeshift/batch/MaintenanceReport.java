package io.lakeshift.batch;

import java.util.List;

/**
 * What one maintenance pass did to one table.
 *
 * @param table the table, {@code namespace.table}
 * @param dataFilesBefore live data files before the pass
 * @param deleteFilesBefore live delete files before the pass
 * @param dataFilesAfter live data files after the pass
 * @param deleteFilesAfter live delete files after the pass
 * @param rewrittenDataFiles data files replaced by compaction
 * @param addedDataFiles data files compaction wrote
 * @param rewrittenDeleteFiles delete files replaced or dropped (compacted position deletes, deletes applied by compaction)
 * @param addedDeleteFiles delete files written by the position-delete rewrite
 * @param prunedDeleteMarkers rows of a delete-marker table dropped because a newer marker or row supersedes them
 * @param expiredSnapshots snapshots expired
 * @param protectedSnapshots snapshots kept because a Lakeshift job needs them
 * @param expiredFilesDeleted files deleted with the expired snapshots
 * @param orphanFilesDeleted unreferenced files deleted
 * @param rewrittenManifests manifests replaced
 * @param addedManifests manifests written
 * @param conflictRetries steps run again after losing a race with a concurrent commit
 * @param durationMs wall time of the pass
 * @param notes skipped steps and why, failures of single steps
 */
public record MaintenanceReport(
        String table,
        long dataFilesBefore,
        long deleteFilesBefore,
        long dataFilesAfter,
        long deleteFilesAfter,
        long rewrittenDataFiles,
        long addedDataFiles,
        long rewrittenDeleteFiles,
        long addedDeleteFiles,
        long prunedDeleteMarkers,
        long expiredSnapshots,
        long protectedSnapshots,
        long expiredFilesDeleted,
        long orphanFilesDeleted,
        long rewrittenManifests,
        long addedManifests,
        int conflictRetries,
        long durationMs,
        List<String> notes) {

    public MaintenanceReport {
        notes = List.copyOf(notes);
    }

    /** The report of a pass that failed before it could count anything. */
    static MaintenanceReport failed(String table, String reason) {
        return new MaintenanceReport(table, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of("failed: " + reason));
    }

    /** One line for people: {@code retail.orders: data files 1000 -> 3, delete files 40 -> 0, ...}. */
    public String summaryLine() {
        return String.format("%s: data files %,d -> %,d, delete files %,d -> %,d, compacted %,d into %,d, expired %,d snapshot(s)"
                + " (%,d kept for jobs), %,d orphan file(s) removed, manifests %,d -> %,d%s, %.1f s", table, dataFilesBefore,
                dataFilesAfter, deleteFilesBefore, deleteFilesAfter, rewrittenDataFiles, addedDataFiles, expiredSnapshots,
                protectedSnapshots, orphanFilesDeleted, rewrittenManifests, addedManifests,
                prunedDeleteMarkers == 0 ? "" : String.format(", %,d superseded delete marker(s) pruned", prunedDeleteMarkers),
                durationMs / 1000.0);
    }
}
