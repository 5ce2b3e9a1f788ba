package io.lakeshift.camel.record;

import io.lakeshift.core.envelope.LogicalType;
import java.util.Objects;

/**
 * One declared column of a record source, validated.
 *
 * @param name column name, as in the row images and (for CSV with a header, JSON) in the input
 * @param type logical type the text is parsed into and the envelope declares
 * @param required whether a null (empty, null marker, absent) value rejects the record
 * @param maxLength the longest accepted string in characters, 0 for no limit
 * @param format a {@link java.time.format.DateTimeFormatter} pattern for date and time columns, or null for ISO-8601
 * @param offset fixed-width only: 0-based position of the first character, -1 elsewhere
 * @param length fixed-width only: number of characters, -1 elsewhere
 */
public record ColumnSpec(String name, LogicalType type, boolean required, int maxLength, String format, int offset, int length) {

    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** An optional string column without limits, as a CSV header declares it. */
    public static ColumnSpec text(String name) {
        return new ColumnSpec(name, LogicalType.STRING, false, 0, null, -1, -1);
    }
}
