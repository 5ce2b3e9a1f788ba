package io.lakeshift.camel.record;

/**
 * An input that cannot be read at all (not in its declared charset, no header, a header without the
 * declared columns): nothing of it becomes an event. A file source moves such a file to its error
 * folder with this message as the reason.
 */
public class UnreadableInputException extends Exception {

    public UnreadableInputException(String reason) {
        super(reason);
    }

    public UnreadableInputException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
