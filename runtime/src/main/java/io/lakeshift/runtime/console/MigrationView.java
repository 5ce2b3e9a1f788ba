package io.lakeshift.runtime.console;

import java.util.List;

/**
 * One pipeline's migration as the console shows it.
 *
 * @param pipeline the pipeline
 * @param stage its stage, with an interrupted transition when there is one
 * @param sinceMs when it entered that stage, epoch millis
 * @param next the next stage, or null in the last one
 * @param gates the gates into the next stage, each with its evidence
 * @param lastReconciliation the newest reconciliation's outcome and time, or null
 * @param job what runs for the pipeline now
 * @param audit the audit log, oldest first
 */
public record MigrationView(String pipeline, String stage, long sinceMs, String next, List<Gate> gates,
        String lastReconciliation, String job, List<Audit> audit) {

    /** A gate's result. */
    public record Gate(String gate, boolean passed, String evidence) {
    }

    /** One audit log entry. */
    public record Audit(long atMs, String action, String from, String to, String outcome, boolean forced, String reason,
            String detail) {
    }
}
