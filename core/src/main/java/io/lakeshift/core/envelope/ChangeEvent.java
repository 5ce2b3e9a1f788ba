package io.lakeshift.core.envelope;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One change of one row, the unit every Lakeshift source writes to Kafka and every sink reads.
 *
 * <p>The shape follows Debezium's JSON envelope: the Kafka key holds the key columns, the value
 * holds {@code op}, the row images {@code before} and {@code after}, {@code source} and
 * {@code ts_ms}, plus {@code columns}, the logical type of every column of the row images, so a
 * sink can create or evolve its table without asking the source. Row image values are written as
 * {@link LogicalType} describes.
 *
 * @param op what happened
 * @param key the key column values (the primary key, a configured key, or the whole row)
 * @param before the row before the change; null for inserts and snapshot reads
 * @param after the row after the change; null for deletes
 * @param source origin and position in the source's total order
 * @param tsMs when the event was produced, epoch millis
 * @param columns the columns of the row images, in source order
 */
public record ChangeEvent(
        Op op,
        Map<String, Object> key,
        Map<String, Object> before,
        Map<String, Object> after,
        SourceInfo source,
        long tsMs,
        List<Column> columns) {

    public ChangeEvent {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(columns, "columns");
        if (op.upserts() && after == null) {
            throw new IllegalArgumentException("op " + op.code() + " needs an 'after' row image");
        }
        if (op == Op.DELETE && before == null) {
            throw new IllegalArgumentException("op d needs a 'before' row image");
        }
    }

    /** The row image that identifies the row: {@code after}, or {@code before} for a delete. */
    public Map<String, Object> row() {
        return op == Op.DELETE ? before : after;
    }
}
