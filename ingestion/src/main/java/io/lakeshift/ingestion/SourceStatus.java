package io.lakeshift.ingestion;

import io.lakeshift.core.status.ComponentStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A point-in-time view of one source, safe to print: it holds no credentials.
 *
 * @param name source name
 * @param kind postgres, mysql or mariadb
 * @param state life-cycle state
 * @param eventsCaptured change events written to Kafka since start
 * @param deadLetters records sent to a dead-letter topic since start
 * @param snapshotRows rows read by the initial snapshot since start
 * @param snapshotRowsExpected the source's estimate of the rows the running (or last) snapshot reads
 *     (PostgreSQL's planner statistics, MySQL's information_schema), -1 when unknown
 * @param lastPosition the newest source position written to Kafka, or null
 * @param lastSourceTsMs source commit time of that change, epoch millis, 0 if none
 * @param behindMs how far capture trailed the source at its newest change (processing time minus
 *     source commit time); 0 once capture has read up to a heartbeat; -1 before any streamed change
 * @param lagBytes bytes of log the source keeps for this capture (PostgreSQL: WAL retained by the
 *     replication slot; MySQL/MariaDB: binlog not yet read), -1 when not measured yet
 * @param lagDetail the lag measurement in one line, or null
 * @param notices things an operator should know: table problems found at start, schema changes
 *     seen while streaming (newest last)
 * @param error why the source failed for good (FAILED), or why it is being restarted and until when
 *     (RETRYING); null otherwise
 */
public record SourceStatus(
        String name,
        String kind,
        SourceState state,
        long eventsCaptured,
        long deadLetters,
        long snapshotRows,
        long snapshotRowsExpected,
        String lastPosition,
        long lastSourceTsMs,
        long behindMs,
        long lagBytes,
        String lagDetail,
        List<String> notices,
        String error) {

    public SourceStatus {
        notices = notices == null ? List.of() : List.copyOf(notices);
    }

    /** The form the {@code sources status} command reads from the data folder. */
    public ComponentStatus toComponentStatus(long pid, long nowMs) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("events", eventsCaptured);
        counters.put("deadLetters", deadLetters);
        counters.put("snapshotRows", snapshotRows);
        counters.put("snapshotRowsExpected", snapshotRowsExpected);
        counters.put("lagBytes", lagBytes);
        counters.put("behindMs", behindMs);
        Map<String, String> details = new LinkedHashMap<>();
        put(details, "lastPosition", lastPosition);
        put(details, "lastSourceTs", lastSourceTsMs > 0 ? Instant.ofEpochMilli(lastSourceTsMs).toString() : null);
        put(details, "lag", lagDetail);
        put(details, "notices", notices.isEmpty() ? null : String.join("\n", notices));
        put(details, "error", error);
        return new ComponentStatus(name, kind, state.name(), pid, nowMs, counters, details);
    }

    private static void put(Map<String, String> details, String key, String value) {
        if (value != null && !value.isBlank()) {
            details.put(key, value);
        }
    }

    /** The share of the snapshot read, from 0 to 1; NaN while the source's estimate is unknown. */
    public double snapshotProgress() {
        return snapshotProgress(snapshotRows, snapshotRowsExpected);
    }

    /** {@code read} of {@code expected} rows as a share from 0 to 1; NaN when {@code expected} is unknown (negative). */
    public static double snapshotProgress(long read, long expected) {
        if (expected < 0) {
            return Double.NaN;
        }
        return expected == 0 ? 1.0 : Math.min(1.0, (double) read / expected);
    }
}
