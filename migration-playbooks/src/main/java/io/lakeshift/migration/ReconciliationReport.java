package io.lakeshift.migration;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one reconciliation. Rows are compared by key, then on every source column
 * (bookkeeping {@code _ls_*} columns excluded).
 *
 * @param pipeline the pipeline
 * @param at when it ran
 * @param position the source position compared at
 * @param batchSnapshotId the batch snapshot compared
 * @param batchRows rows in the batch output
 * @param streamingRows rows in the streaming output at the position
 * @param missing keys the batch output has and the streaming output lacks
 * @param extra keys the streaming output has and the batch output lacks
 * @param differing keys in both whose values differ in at least one column
 * @param samples up to the request's sample size of each kind, naming the row and the columns that differ
 * @param durationMs how long the comparison took
 */
public record ReconciliationReport(String pipeline, Instant at, long position, long batchSnapshotId, long batchRows,
        long streamingRows, long missing, long extra, long differing, List<String> samples, long durationMs) {

    public ReconciliationReport {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    public boolean clean() {
        return missing == 0 && extra == 0 && differing == 0;
    }

    /** (missing + extra + differing) / batch rows; 0 for two empty outputs. */
    public double mismatchRatio() {
        long bad = missing + extra + differing;
        return bad == 0 ? 0 : (double) bad / Math.max(1, batchRows);
    }

    /** One line for people. */
    public String summary() {
        return String.format("%s at position %d: batch %,d rows, streaming %,d rows, missing %,d, extra %,d, differing %,d%s",
                clean() ? "clean" : "MISMATCH", position, batchRows, streamingRows, missing, extra, differing,
                clean() ? "" : " (ratio " + String.format("%.6f", mismatchRatio()) + ")");
    }
}
