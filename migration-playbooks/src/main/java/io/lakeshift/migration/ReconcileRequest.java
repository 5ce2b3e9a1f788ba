package io.lakeshift.migration;

import java.util.List;

/**
 * One reconciliation to run: the batch job's output at the snapshot that recorded source position
 * {@code position}, against the streaming output at that same position.
 *
 * @param pipeline the pipeline
 * @param keyColumns the key columns
 * @param batchTable the batch-written table, {@code catalog.namespace.table}
 * @param batchSnapshotId the batch run's snapshot of that table
 * @param position the source position the batch run read at (for PostgreSQL the WAL LSN as a number)
 * @param streamingTable the table the streaming job writes now, {@code catalog.namespace.table}
 * @param changelogTables the changelog tables of every table the streaming job has written for this pipeline
 * @param sampleSize how many rows of each kind (missing, extra, differing) to name
 */
public record ReconcileRequest(String pipeline, List<String> keyColumns, String batchTable, long batchSnapshotId,
        long position, String streamingTable, List<String> changelogTables, int sampleSize) {

    public ReconcileRequest {
        keyColumns = List.copyOf(keyColumns);
        changelogTables = List.copyOf(changelogTables);
    }
}
