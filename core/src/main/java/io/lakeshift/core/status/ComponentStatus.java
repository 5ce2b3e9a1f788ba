package io.lakeshift.core.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a running component (a source, a route, a streaming job) last said about itself, as the
 * {@code status} commands read it from the data folder. Holds no credentials.
 *
 * @param name component name (source or pipeline name)
 * @param kind what it is: postgres, mysql, file, jdbc, jms, apply, ...
 * @param state life-cycle state in upper case: STARTING, SNAPSHOTTING, STREAMING, RUNNING, FAILED, STOPPED
 * @param pid process id of the process that runs it
 * @param updatedAtMs when this was written, epoch millis; a stale value means the process is gone
 * @param counters named counts (events, deadLetters, rowsApplied, ...)
 * @param details named facts for people (lastPosition, lagBytes, lastError, ...)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComponentStatus(
        String name,
        String kind,
        String state,
        long pid,
        long updatedAtMs,
        Map<String, Long> counters,
        Map<String, String> details) {

    public ComponentStatus {
        counters = counters == null ? Map.of() : Map.copyOf(counters);
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
