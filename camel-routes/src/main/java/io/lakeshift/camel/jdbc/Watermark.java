package io.lakeshift.camel.jdbc;

import java.util.List;
import java.util.Objects;

/**
 * How far a polled table has been read: the watermark column's value and the key column values of
 * the last row read (rows with the same watermark are read in key order), all in envelope form.
 *
 * @param value the watermark column's value
 * @param key the key values of the last row, in key-column order
 */
public record Watermark(Object value, List<Object> key) {

    public Watermark {
        Objects.requireNonNull(value, "value");
        key = key == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(key));
    }
}
