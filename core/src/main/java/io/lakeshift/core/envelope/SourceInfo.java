package io.lakeshift.core.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Where a change came from, and its place in the source's total order.
 *
 * <p>{@code seq} orders the changes of one source table: for PostgreSQL the change's WAL LSN, for
 * a file drop the file's sequence and the line number, for JDBC polling the watermark. Two events
 * for the same key are applied in ascending {@code seq} (compared element by element); an event
 * whose {@code seq} is not greater than the one a table already holds for that key is a replay.
 * {@code position} is the same place written for people ({@code lsn=0/16B2D8}, {@code orders.csv:42}).
 *
 * @param system the kind of source: {@code postgresql}, {@code mysql}, {@code file}, {@code jdbc}, {@code jms}
 * @param name the Lakeshift source name from the config
 * @param database the source database, or null
 * @param schema the source schema, or null
 * @param table the source table (or file layout)
 * @param position human-readable position
 * @param seq two longs, the sortable position
 * @param snapshot true for rows read by an initial snapshot
 * @param tsMs when the change was committed in the source, epoch millis
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceInfo(
        String system,
        String name,
        String database,
        String schema,
        String table,
        String position,
        long[] seq,
        boolean snapshot,
        @JsonProperty("ts_ms") long tsMs) {

    public SourceInfo {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(table, "table");
        if (seq == null || seq.length != 2) {
            throw new IllegalArgumentException("source.seq must hold exactly two longs");
        }
    }

    /** The first element of {@link #seq()}. */
    public long seqHigh() {
        return seq[0];
    }

    /** The second element of {@link #seq()}. */
    public long seqLow() {
        return seq[1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceInfo s
                && snapshot == s.snapshot
                && tsMs == s.tsMs
                && system.equals(s.system)
                && Objects.equals(name, s.name)
                && Objects.equals(database, s.database)
                && Objects.equals(schema, s.schema)
                && table.equals(s.table)
                && Objects.equals(position, s.position)
                && seq[0] == s.seq[0]
                && seq[1] == s.seq[1];
    }

    @Override
    public int hashCode() {
        return Objects.hash(system, name, database, schema, table, position, seq[0], seq[1], snapshot, tsMs);
    }

    @Override
    public String toString() {
        return system + ":" + (schema == null ? "" : schema + ".") + table + "@" + position;
    }
}
