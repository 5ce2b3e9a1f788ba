package io.lakeshift.lakehouse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.TableProperties;

/**
 * What one maintenance pass over a table does, with Lakeshift's defaults. A table can carry its
 * own values as table properties (Iceberg's where Iceberg has one, {@code lakeshift.maintenance.*}
 * otherwise); {@link #forTable} applies them over the defaults, and a command line can override
 * both with the {@code with*} methods.
 *
 * <table>
 *   <caption>settings, table property and default</caption>
 *   <tr><th>setting</th><th>table property</th><th>default</th></tr>
 *   <tr><td>targetFileSizeBytes</td><td>write.target-file-size-bytes</td><td>128 MiB</td></tr>
 *   <tr><td>minInputFiles</td><td>lakeshift.maintenance.min-input-files</td><td>5</td></tr>
 *   <tr><td>deleteFileThreshold</td><td>lakeshift.maintenance.delete-file-threshold</td><td>3</td></tr>
 *   <tr><td>snapshotRetention</td><td>history.expire.max-snapshot-age-ms</td><td>1 day, at least 10 minutes</td></tr>
 *   <tr><td>minSnapshotsToKeep</td><td>history.expire.min-snapshots-to-keep</td><td>5</td></tr>
 *   <tr><td>orphanFileAge</td><td>lakeshift.maintenance.orphan-file-age-ms</td><td>3 days, at least 1 hour</td></tr>
 * </table>
 *
 * @param compact rewrite small data files (and data files with many deletes) into files of the target size
 * @param rewriteDeletes compact position delete files and drop the ones that no longer apply
 * @param expireSnapshots expire snapshots older than the retention (never branch or tag heads, never what a
 *     streaming job needs to stay effectively-once, see {@link SnapshotProtection})
 * @param removeOrphans delete files in the table's location that no snapshot references, older than the safety window
 * @param rewriteManifests merge small manifests
 * @param targetFileSizeBytes target size of compacted data files
 * @param minInputFiles a file group is compacted when it has at least this many files
 * @param deleteFileThreshold a data file with at least this many delete files is rewritten with its deletes applied
 * @param snapshotRetention snapshots older than this are expired
 * @param minSnapshotsToKeep this many newest snapshots of each branch are kept whatever their age
 * @param orphanFileAge unreferenced files younger than this are kept: they may belong to a commit in flight
 * @param conflictRetries how often a compaction step is retried when a concurrent commit invalidated it
 */
public record MaintenanceSettings(
        boolean compact,
        boolean rewriteDeletes,
        boolean expireSnapshots,
        boolean removeOrphans,
        boolean rewriteManifests,
        long targetFileSizeBytes,
        int minInputFiles,
        int deleteFileThreshold,
        Duration snapshotRetention,
        int minSnapshotsToKeep,
        Duration orphanFileAge,
        int conflictRetries) {

    public static final String MIN_INPUT_FILES = CatalogProperties.SUMMARY_PREFIX + "maintenance.min-input-files";
    public static final String DELETE_FILE_THRESHOLD = CatalogProperties.SUMMARY_PREFIX + "maintenance.delete-file-threshold";
    public static final String ORPHAN_FILE_AGE_MS = CatalogProperties.SUMMARY_PREFIX + "maintenance.orphan-file-age-ms";

    public static final long DEFAULT_TARGET_FILE_SIZE_BYTES = 128L * 1024 * 1024;
    public static final int DEFAULT_MIN_INPUT_FILES = 5;
    public static final int DEFAULT_DELETE_FILE_THRESHOLD = 3;
    public static final Duration DEFAULT_SNAPSHOT_RETENTION = Duration.ofDays(1);
    public static final int DEFAULT_MIN_SNAPSHOTS_TO_KEEP = 5;
    public static final Duration DEFAULT_ORPHAN_FILE_AGE = Duration.ofDays(3);
    /** A shorter orphan window could delete the files of a commit that is still being written. */
    public static final Duration MIN_ORPHAN_FILE_AGE = Duration.ofHours(1);
    public static final int DEFAULT_CONFLICT_RETRIES = 3;
    /**
     * A writer validates its commit against the snapshot it started from (a MERGE checks that the
     * files it deletes from still exist); expiring that snapshot under it fails the commit.
     */
    public static final Duration MIN_SNAPSHOT_RETENTION = Duration.ofMinutes(10);

    public MaintenanceSettings {
        List<String> problems = new ArrayList<>();
        if (targetFileSizeBytes < 1024) {
            problems.add("targetFileSizeBytes: must be at least 1024, got " + targetFileSizeBytes);
        }
        if (minInputFiles < 1) {
            problems.add("minInputFiles: must be at least 1, got " + minInputFiles);
        }
        if (deleteFileThreshold < 1) {
            problems.add("deleteFileThreshold: must be at least 1, got " + deleteFileThreshold);
        }
        if (snapshotRetention == null || snapshotRetention.compareTo(MIN_SNAPSHOT_RETENTION) < 0) {
            problems.add("snapshotRetention: must be at least " + MIN_SNAPSHOT_RETENTION.toMinutes()
                    + " minutes: a writer in flight validates its commit against the snapshot it started from");
        }
        if (minSnapshotsToKeep < 1) {
            problems.add("minSnapshotsToKeep: must be at least 1, got " + minSnapshotsToKeep);
        }
        if (orphanFileAge == null || orphanFileAge.compareTo(MIN_ORPHAN_FILE_AGE) < 0) {
            problems.add("orphanFileAge: must be at least " + MIN_ORPHAN_FILE_AGE.toMinutes()
                    + " minutes: a shorter window can delete the files of a commit still in flight");
        }
        if (conflictRetries < 0) {
            problems.add("conflictRetries: must be 0 or more, got " + conflictRetries);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid maintenance settings: " + String.join("; ", problems));
        }
    }

    /** Every step on, Lakeshift's defaults. */
    public static MaintenanceSettings defaults() {
        return new MaintenanceSettings(true, true, true, true, true, DEFAULT_TARGET_FILE_SIZE_BYTES, DEFAULT_MIN_INPUT_FILES,
                DEFAULT_DELETE_FILE_THRESHOLD, DEFAULT_SNAPSHOT_RETENTION, DEFAULT_MIN_SNAPSHOTS_TO_KEEP,
                DEFAULT_ORPHAN_FILE_AGE, DEFAULT_CONFLICT_RETRIES);
    }

    /**
     * These settings with a table's own properties applied over them.
     *
     * @throws IllegalArgumentException when a property is not a number, naming it
     */
    public MaintenanceSettings forTable(Map<String, String> tableProperties) {
        return new MaintenanceSettings(compact, rewriteDeletes, expireSnapshots, removeOrphans, rewriteManifests,
                longProperty(tableProperties, TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, targetFileSizeBytes),
                (int) longProperty(tableProperties, MIN_INPUT_FILES, minInputFiles),
                (int) longProperty(tableProperties, DELETE_FILE_THRESHOLD, deleteFileThreshold),
                Duration.ofMillis(longProperty(tableProperties, TableProperties.MAX_SNAPSHOT_AGE_MS, snapshotRetention.toMillis())),
                (int) longProperty(tableProperties, TableProperties.MIN_SNAPSHOTS_TO_KEEP, minSnapshotsToKeep),
                Duration.ofMillis(longProperty(tableProperties, ORPHAN_FILE_AGE_MS, orphanFileAge.toMillis())),
                conflictRetries);
    }

    private static long longProperty(Map<String, String> props, String key, long fallback) {
        String value = props.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("table property " + key + " must be a number, got '" + value + "'", e);
        }
    }

    /** Only the given steps on. */
    public MaintenanceSettings withSteps(boolean newCompact, boolean newRewriteDeletes, boolean newExpire,
            boolean newRemoveOrphans, boolean newRewriteManifests) {
        return new MaintenanceSettings(newCompact, newRewriteDeletes, newExpire, newRemoveOrphans, newRewriteManifests,
                targetFileSizeBytes, minInputFiles, deleteFileThreshold, snapshotRetention, minSnapshotsToKeep,
                orphanFileAge, conflictRetries);
    }

    public MaintenanceSettings withTargetFileSizeBytes(long bytes) {
        return new MaintenanceSettings(compact, rewriteDeletes, expireSnapshots, removeOrphans, rewriteManifests, bytes,
                minInputFiles, deleteFileThreshold, snapshotRetention, minSnapshotsToKeep, orphanFileAge, conflictRetries);
    }

    public MaintenanceSettings withMinInputFiles(int files) {
        return new MaintenanceSettings(compact, rewriteDeletes, expireSnapshots, removeOrphans, rewriteManifests,
                targetFileSizeBytes, files, deleteFileThreshold, snapshotRetention, minSnapshotsToKeep, orphanFileAge,
                conflictRetries);
    }

    public MaintenanceSettings withDeleteFileThreshold(int files) {
        return new MaintenanceSettings(compact, rewriteDeletes, expireSnapshots, removeOrphans, rewriteManifests,
                targetFileSizeBytes, minInputFiles, files, snapshotRetention, minSnapshotsToKeep, orphanFileAge,
                conflictRetries);
    }

    public MaintenanceSettings withSnapshotRetention(Duration retention, int minSnapshots) {
        return new MaintenanceSettings(compact, rewriteDeletes, expireSnapshots, removeOrphans, rewriteManifests,
                targetFileSizeBytes, minInputFiles, deleteFileThreshold, retention, minSnapshots, orphanFileAge,
                conflictRetries);
    }

    public MaintenanceSettings withOrphanFileAge(Duration age) {
        return new MaintenanceSettings(compact, rewriteDeletes, expireSnapshots, removeOrphans, rewriteManifests,
                targetFileSizeBytes, minInputFiles, deleteFileThreshold, snapshotRetention, minSnapshotsToKeep, age,
                conflictRetries);
    }

    public MaintenanceSettings withConflictRetries(int retries) {
        return new MaintenanceSettings(compact, rewriteDeletes, expireSnapshots, removeOrphans, rewriteManifests,
                targetFileSizeBytes, minInputFiles, deleteFileThreshold, snapshotRetention, minSnapshotsToKeep,
                orphanFileAge, retries);
    }
}
