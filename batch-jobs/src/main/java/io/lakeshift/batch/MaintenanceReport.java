package io.lakeshift.batch;

import io.lakeshift.core.status.ComponentStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The status group a maintenance pass leaves its report in, one file per table: the console reads it. */
    public static final String STATUS_GROUP = "maintenance";

    /** Whether a step of the pass failed. */
    public boolean failed() {
        return notes.stream().anyMatch(n -> n.startsWith("failed:"));
    }

    /** This report as the status file the console and its metrics read: FAILED when a step failed, else DONE. */
    public ComponentStatus toStatus(long pid, long nowMs) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("dataFilesBefore", dataFilesBefore);
        counters.put("dataFilesAfter", dataFilesAfter);
        counters.put("deleteFilesBefore", deleteFilesBefore);
        counters.put("deleteFilesAfter", deleteFilesAfter);
        counters.put("rewrittenDataFiles", rewrittenDataFiles);
        counters.put("rewrittenDeleteFiles", rewrittenDeleteFiles);
        counters.put("expiredSnapshots", expiredSnapshots);
        counters.put("orphanFilesDeleted", orphanFilesDeleted);
        counters.put("conflictRetries", (long) conflictRetries);
        counters.put("durationMs", durationMs);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("summary", summaryLine());
        if (!notes.isEmpty()) {
            details.put("notes", String.join("\n", notes));
        }
        return new ComponentStatus(table, "maintenance", failed() ? "FAILED" : "DONE", pid, nowMs, counters, details);
    }
}
