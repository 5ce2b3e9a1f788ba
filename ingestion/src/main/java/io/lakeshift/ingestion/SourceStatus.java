package io.lakeshift.ingestion;

/**
 * A point-in-time view of one source, safe to print: it holds no credentials.
 *
 * @param name source name
 * @param state life-cycle state
 * @param eventsCaptured change events written to Kafka since start
 * @param deadLetters records sent to a dead-letter topic since start
 * @param lastPosition the newest source position written to Kafka, or null
 * @param lastSourceTsMs source commit time of that change, epoch millis, 0 if none
 * @param error why the source failed, or null
 */
public record SourceStatus(
        String name,
        SourceState state,
        long eventsCaptured,
        long deadLetters,
        String lastPosition,
        long lastSourceTsMs,
        String error) {
}
