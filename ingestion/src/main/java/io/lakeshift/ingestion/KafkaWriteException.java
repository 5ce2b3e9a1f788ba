package io.lakeshift.ingestion;

/** Kafka refused or lost a write; the batch's offsets were not committed, so it will be replayed. */
public class KafkaWriteException extends RuntimeException {

    public KafkaWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
