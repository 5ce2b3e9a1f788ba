package io.lakeshift.core.envelope;

/** A Kafka record that is not a valid change event; the message says what is wrong. */
public class EnvelopeException extends RuntimeException {

    public EnvelopeException(String message) {
        super(message);
    }

    public EnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
