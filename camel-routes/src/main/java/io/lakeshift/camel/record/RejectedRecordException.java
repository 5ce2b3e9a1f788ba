package io.lakeshift.camel.record;

/**
 * A record that does not fit its declared schema; the message is the one-line reason a dead letter
 * carries. Thrown per bad record, so it records no stack trace.
 */
public final class RejectedRecordException extends Exception {

    public RejectedRecordException(String reason) {
        super(reason, null, false, false);
    }
}
