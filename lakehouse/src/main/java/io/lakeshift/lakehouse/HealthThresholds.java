package io.lakeshift.lakehouse;

import java.time.Duration;

/**
 * When {@link TableHealth} warns.
 *
 * @param smallFileBytes a data file under this size counts as small
 * @param maxSmallFiles warn above this many small data files
 * @param maxSnapshots warn above this many snapshots
 * @param maxDeleteFiles warn above this many delete files (each one is read by every query)
 * @param maxCommitAge warn when the last commit is older than this; null for never (a table may rightly be quiet)
 */
public record HealthThresholds(long smallFileBytes, int maxSmallFiles, int maxSnapshots, int maxDeleteFiles,
        Duration maxCommitAge) {

    public static final long DEFAULT_SMALL_FILE_BYTES = 32L * 1024 * 1024;
    public static final int DEFAULT_MAX_SMALL_FILES = 100;
    public static final int DEFAULT_MAX_SNAPSHOTS = 500;
    public static final int DEFAULT_MAX_DELETE_FILES = 100;

    public HealthThresholds {
        if (smallFileBytes < 0 || maxSmallFiles < 0 || maxSnapshots < 0 || maxDeleteFiles < 0) {
            throw new IllegalArgumentException("health thresholds must be 0 or more");
        }
    }

    public static HealthThresholds defaults() {
        return new HealthThresholds(DEFAULT_SMALL_FILE_BYTES, DEFAULT_MAX_SMALL_FILES, DEFAULT_MAX_SNAPSHOTS,
                DEFAULT_MAX_DELETE_FILES, null);
    }
}
