package io.lakeshift.ingestion;

import java.nio.file.Path;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * A source's offsets file exists but cannot be read. Capture must not start: without its offsets
 * Debezium would begin again with a new snapshot, or with snapshot.mode no_data skip every change
 * since the last stored offset. Not retried.
 */
final class UnreadableOffsetsException extends ConnectException {

    private final transient Path file;
    private final String problem;

    UnreadableOffsetsException(Path file, String problem, Throwable cause) {
        super("offsets file " + file + " " + problem + ": capture stops rather than start over without its offsets"
                + " (a new snapshot, or with snapshot.mode no_data, lost changes). Restore the file from a backup, or"
                + " remove the source's slot and offsets (lakeshift sources drop) to capture it again from a new snapshot",
                cause);
        this.file = file;
        this.problem = problem;
    }

    Path file() {
        return file;
    }

    /** What is wrong with the file, for people: "is empty", "is truncated or corrupt (...)". */
    String problem() {
        return problem;
    }
}
