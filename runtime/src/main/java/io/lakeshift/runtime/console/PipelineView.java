package io.lakeshift.runtime.console;

/**
 * One pipeline as the console shows it.
 *
 * @param name the pipeline's name
 * @param source the source it reads
 * @param target the lake table it writes
 * @param stage the migration stage its configuration declares
 * @param state RUNNING, FAILED, STOPPED, NOT RUNNING, or GONE when its job stopped reporting
 * @param recordsIn Kafka records read since its job started
 * @param applied changes applied to the lake
 * @param deadLetters records sent to its dead-letter topic
 * @param rowsPerSecond records per second of its last batch
 * @param freshnessP50Ms median source-commit-to-lake-commit latency over the last five minutes; null without data
 * @param freshnessP99Ms its 99th percentile
 * @param lastBatchMs duration of its last batch
 * @param applyPath how its last batch reached the table: "equality upsert", or "MERGE (why)"
 * @param lastError the error that stopped it, or null
 * @param updatedAtMs when its job last reported, epoch millis; 0 when it never did
 */
public record PipelineView(String name, String source, String target, String stage, String state, Long recordsIn, Long applied,
        Long deadLetters, Long rowsPerSecond, Long freshnessP50Ms, Long freshnessP99Ms, Long lastBatchMs, String applyPath,
        String lastError, long updatedAtMs) {
}
