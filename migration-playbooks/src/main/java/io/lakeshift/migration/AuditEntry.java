package io.lakeshift.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One line of the audit log: an attempted, begun, finished or failed transition.
 *
 * @param at when
 * @param pipeline the pipeline
 * @param transition the transition id (null for a blocked attempt)
 * @param action apply, rollback, undo
 * @param from the stage left
 * @param to the stage entered
 * @param forced whether failing gates were overridden
 * @param reason the reason given
 * @param evidence every gate with its evidence, as decided
 * @param outcome BLOCKED (gates failed), STARTED, COMPLETED, FAILED, RESUMED
 * @param steps steps done so far
 * @param error the failure, when FAILED
 * @param user the operating-system user who ran the command
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(Instant at, String pipeline, String transition, String action, Stage from, Stage to, boolean forced,
        String reason, List<String> evidence, String outcome, List<String> steps, String error, String user) {

    public static final String BLOCKED = "BLOCKED";
    public static final String STARTED = "STARTED";
    public static final String RESUMED = "RESUMED";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
}
