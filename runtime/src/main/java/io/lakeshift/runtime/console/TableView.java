package io.lakeshift.runtime.console;

import java.util.List;

/**
 * One lake table as the console shows it: what {@code lakeshift tables health} reads from its metadata.
 *
 * @param name namespace.table
 * @param dataFiles live data files
 * @param averageFileBytes their average size
 * @param deleteFiles live delete files (position and equality)
 * @param snapshots snapshots in its metadata
 * @param rows rows a reader sees (an estimate when it has delete files)
 * @param lastCommitMs when its current snapshot was committed, epoch millis; null for an empty table
 * @param lastCommitAgeSeconds how long ago; null for an empty table
 * @param warnings one line per health threshold crossed
 * @param lastMaintenanceMs when {@code lakeshift maintain} last finished a pass over it, epoch millis; null if never
 * @param lastMaintenance what that pass did (its summary line), with its failed steps
 */
public record TableView(String name, long dataFiles, long averageFileBytes, long deleteFiles, int snapshots, long rows,
        Long lastCommitMs, Long lastCommitAgeSeconds, List<String> warnings, Long lastMaintenanceMs, String lastMaintenance) {
}
