package io.lakeshift.core.envelope;

/**
 * Kafka headers of a record in a {@code .dlq} topic. Together they say what failed and where the
 * record came from, so nothing dead-lettered is lost or anonymous.
 */
public final class DeadLetterHeaders {

    /** Why the record could not be processed, in one line. */
    public static final String REASON = "lakeshift.error.reason";
    /** Where it came from: source position, file and line, message id, or topic-partition@offset. */
    public static final String ORIGIN = "lakeshift.error.origin";
    /** The component that gave up on it: ingestion, camel, streaming. */
    public static final String STAGE = "lakeshift.error.stage";
    /** The record's key (for a change: the key columns as JSON), when the record itself could not be kept. */
    public static final String KEY = "lakeshift.error.key";
    /** The record's size in bytes (key and value), for a record too large for Kafka. */
    public static final String SIZE = "lakeshift.error.size";
    /** Epoch millis when it was dead-lettered. */
    public static final String TIMESTAMP = "lakeshift.error.ts";

    private DeadLetterHeaders() {
    }
}
