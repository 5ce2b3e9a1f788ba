package io.lakeshift.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;

/**
 * The state of one table's current snapshot, read from its metadata and manifests only (no data
 * file is opened): files, sizes, deletes, snapshots, last commit, and warnings where a
 * {@link HealthThresholds threshold} is crossed.
 *
 * @param table the table name
 * @param dataFiles live data files
 * @param dataBytes their total size
 * @param smallDataFiles data files under the small-file threshold
 * @param positionDeleteFiles live position delete files
 * @param equalityDeleteFiles live equality delete files
 * @param deleteBytes total size of the delete files
 * @param dataRecords records in the data files (deleted rows included)
 * @param positionDeletes position delete records
 * @param equalityDeletes equality delete records
 * @param dataManifests manifests listing the data files
 * @param snapshots snapshots in the table's metadata
 * @param branches branches, main included
 * @param tags tags
 * @param currentSnapshotId the current snapshot, null for an empty table
 * @param lastCommit time of the current snapshot, null for an empty table
 * @param lastCommitAge age of the current snapshot, null for an empty table
 * @param warnings one line per crossed threshold
 */
public record TableHealth(
        String table,
        long dataFiles,
        long dataBytes,
        long smallDataFiles,
        long positionDeleteFiles,
        long equalityDeleteFiles,
        long deleteBytes,
        long dataRecords,
        long positionDeletes,
        long equalityDeletes,
        int dataManifests,
        int snapshots,
        int branches,
        int tags,
        Long currentSnapshotId,
        Instant lastCommit,
        Duration lastCommitAge,
        List<String> warnings) {

    public TableHealth {
        warnings = List.copyOf(warnings);
    }

    public long deleteFiles() {
        return positionDeleteFiles + equalityDeleteFiles;
    }

    public long averageFileBytes() {
        return dataFiles == 0 ? 0 : dataBytes / dataFiles;
    }

    /**
     * Rows a reader sees: data records less position deletes. Exact when the table has no delete
     * files; otherwise an estimate (a position delete may point at a row compaction already removed,
     * and equality deletes are not subtracted).
     */
    public long rows() {
        return Math.max(0, dataRecords - positionDeletes);
    }

    public boolean rowsExact() {
        return deleteFiles() == 0;
    }

    public boolean healthy() {
        return warnings.isEmpty();
    }

    /** Reads the health of {@code table} as of its current snapshot. */
    public static TableHealth of(String name, Table table, HealthThresholds thresholds, Clock clock) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        int snapshotCount = 0;
        for (Snapshot ignored : table.snapshots()) {
            snapshotCount++;
        }
        int branches = 0;
        int tags = 0;
        for (SnapshotRef ref : table.refs().values()) {
            if (ref.isBranch()) {
                branches++;
            } else {
                tags++;
            }
        }
        long dataFiles = 0;
        long dataBytes = 0;
        long small = 0;
        long records = 0;
        long posFiles = 0;
        long eqFiles = 0;
        long deleteBytes = 0;
        long posDeletes = 0;
        long eqDeletes = 0;
        int manifests = 0;
        if (current != null) {
            try {
                for (ManifestFile manifest : current.dataManifests(table.io())) {
                    manifests++;
                    try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs())) {
                        for (DataFile file : reader) {
                            dataFiles++;
                            dataBytes += file.fileSizeInBytes();
                            records += file.recordCount();
                            if (file.fileSizeInBytes() < thresholds.smallFileBytes()) {
                                small++;
                            }
                        }
                    }
                }
                for (ManifestFile manifest : current.deleteManifests(table.io())) {
                    try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                        for (DeleteFile file : reader) {
                            deleteBytes += file.fileSizeInBytes();
                            if (file.content() == FileContent.POSITION_DELETES) {
                                posFiles++;
                                posDeletes += file.recordCount();
                            } else {
                                eqFiles++;
                                eqDeletes += file.recordCount();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the manifests of " + name + ": " + e.getMessage(), e);
            }
        }
        Instant lastCommit = current == null ? null : Instant.ofEpochMilli(current.timestampMillis());
        Duration age = lastCommit == null ? null : Duration.between(lastCommit, clock.instant());
        List<String> warnings = new ArrayList<>();
        if (small > thresholds.maxSmallFiles()) {
            warnings.add(String.format("too many small files: %,d of %,d data files are under %s (threshold %,d);"
                    + " run 'lakeshift maintain %s'", small, dataFiles, bytes(thresholds.smallFileBytes()),
                    thresholds.maxSmallFiles(), name));
        }
        if (snapshotCount > thresholds.maxSnapshots()) {
            warnings.add(String.format("too many snapshots: %,d (threshold %,d); run 'lakeshift maintain %s' to expire old ones",
                    snapshotCount, thresholds.maxSnapshots(), name));
        }
        if (posFiles + eqFiles > thresholds.maxDeleteFiles()) {
            warnings.add(String.format("too many delete files: %,d (threshold %,d), every read merges them;"
                    + " run 'lakeshift maintain %s'", posFiles + eqFiles, thresholds.maxDeleteFiles(), name));
        }
        if (thresholds.maxCommitAge() != null && age != null && age.compareTo(thresholds.maxCommitAge()) > 0) {
            warnings.add(String.format("stale: last commit %s ago (threshold %s)", duration(age), duration(thresholds.maxCommitAge())));
        }
        return new TableHealth(name, dataFiles, dataBytes, small, posFiles, eqFiles, deleteBytes, records, posDeletes,
                eqDeletes, manifests, snapshotCount, branches, tags, current == null ? null : current.snapshotId(),
                lastCommit, age, warnings);
    }

    /** {@code 1.5 MB}, {@code 830 KB}, {@code 12 B}. */
    public static String bytes(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format("%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format("%.1f MB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format("%.1f KB", bytes / (double) (1L << 10));
        }
        return bytes + " B";
    }

    /** {@code 3d 4h}, {@code 2h 5m}, {@code 42s}. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 86_400) {
            return (s / 86_400) + "d " + (s % 86_400) / 3600 + "h";
        }
        if (s >= 3600) {
            return (s / 3600) + "h " + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        return s + "s";
    }
}
