package io.lakeshift.streaming;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection for the effectively-once tests: with {@code -Dlakeshift.crash-at=<point>@<batch>}
 * the JVM halts (as if killed with kill -9: no shutdown hooks, no cleanup) when the apply job
 * reaches that point of that micro-batch. Unset, every call is a no-op.
 */
final class CrashPoints {

    /** Before any Iceberg commit of the batch. */
    static final String BEFORE_COMMIT = "before-commit";
    /** After the changelog commit, before the current-state MERGE. */
    static final String AFTER_CHANGELOG = "after-changelog";
    /** After the current-state MERGE commit, before the delete markers. */
    static final String AFTER_MERGE = "after-merge";
    /** After every Iceberg commit, before Spark commits the batch to its checkpoint. */
    static final String BEFORE_CHECKPOINT = "before-checkpoint";

    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);
    private static final String SETTING = System.getProperty("lakeshift.crash-at", "");

    private CrashPoints() {
    }

    static void reach(String point, long batchId) {
        if (!SETTING.isEmpty() && SETTING.equals(point + "@" + batchId)) {
            LOG.warn("Crash point {} of batch {} reached: halting the JVM", point, batchId);
            Runtime.getRuntime().halt(137);
        }
    }
}
