package io.lakeshift.migration;

import java.time.Duration;

/**
 * What must hold before a pipeline may enter a stage.
 *
 * @param consecutiveCleanReconciliations clean reconciliations in a row, newest first, since the current stage began
 * @param maxMismatchRatio highest (missing + extra + differing) / batch rows of the latest reconciliation; null: not checked
 * @param maxFreshnessLag highest freshness lag (p99) the streaming job may report; null: not checked
 * @param minTimeInStage how long the pipeline must have been in its current stage
 */
public record Gates(int consecutiveCleanReconciliations, Double maxMismatchRatio, Duration maxFreshnessLag,
        Duration minTimeInStage) {

    public static final Gates NONE = new Gates(0, null, null, Duration.ZERO);

    public Gates {
        minTimeInStage = minTimeInStage == null ? Duration.ZERO : minTimeInStage;
    }

    boolean needsReconciliation() {
        return consecutiveCleanReconciliations > 0 || maxMismatchRatio != null;
    }
}
