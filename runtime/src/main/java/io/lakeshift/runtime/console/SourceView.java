package io.lakeshift.runtime.console;

/**
 * One source as the console shows it.
 *
 * @param name the source's name
 * @param kind postgres, mysql, mariadb, file, jdbc, jms, ...
 * @param state the state its process last reported, or "not running" when that process is gone
 * @param events events (or records) captured since its process started
 * @param eventsPerSecond events per second between the console's last two samples; null before two
 * @param deadLetters records sent to its dead-letter topic
 * @param lagBytes bytes of the source's log not yet read; null when the source does not report it
 * @param behindSeconds seconds between the newest change captured and now; null when unknown
 * @param position the last source position captured, or null
 * @param lastError the error it last reported, or null
 * @param updatedAtMs when its process last reported, epoch millis; 0 when it never did
 * @param snapshotRows rows its snapshots read since its process started
 * @param snapshotProgress the share of its running (or last) snapshot read, 0 to 1; null when the source gave no estimate
 */
public record SourceView(String name, String kind, String state, long events, Double eventsPerSecond, long deadLetters,
        Long lagBytes, Double behindSeconds, String position, String lastError, long updatedAtMs, long snapshotRows,
        Double snapshotProgress) {
}
