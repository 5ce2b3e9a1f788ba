package io.lakeshift.camel.record;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads the records of one text input, one at a time, in constant memory: a record longer than the
 * layout's {@code maxRecordChars} is reported as malformed (its text truncated), not buffered whole.
 * Not thread-safe.
 */
public interface RecordReader extends Closeable {

    /** The schema the values are indexed by, known once the reader is open (after a CSV header). */
    RecordSchema schema();

    /**
     * Moves to the next record.
     *
     * @return false at the end of the input
     * @throws IOException when the input cannot be read (not for a malformed record)
     */
    boolean next() throws IOException;

    /** The 1-based physical line where the current record starts. */
    long line();

    /** The current record's text as read, without its line terminator; for dead letters. */
    String raw();

    /** Why the current record cannot be split into fields, or null when it could. */
    String malformed();

    /**
     * The current record's field values indexed like {@link RecordSchema#fieldNames()}; null stands for
     * a null or absent value. The array is reused by the next call to {@link #next()}.
     */
    String[] values();
}
