package io.lakeshift.camel.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.EnvelopeJsonWriter;
import io.lakeshift.core.envelope.Op;
import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Writes a file or JDBC source's change events with the one envelope writer,
 * {@link EnvelopeJsonWriter}, straight from an array of row values (no
 * {@link io.lakeshift.core.envelope.ChangeEvent}, maps or JSON tree per record: a file source writes
 * one event per record, and building those costs more than reading the record). Everything that
 * never changes for a table (the column declarations, the field names, the source's names) is
 * encoded once. Values must already be in their envelope form (see
 * {@link io.lakeshift.camel.record.ValueParsers}): String, Integer, Long, Float, Double, Boolean or
 * null. One instance per thread.
 */
public final class EnvelopeWriter {

    private final SerializedString[] fieldNames;
    private final SerializedString sourceFields;
    private final SerializedString columns;
    private final int[] keyIndexes;
    private final int[] rowIndexes;
    private final EnvelopeJsonWriter out = new EnvelopeJsonWriter();

    /**
     * @param columns the row's columns, as the envelope declares them
     * @param keyIndexes indexes into {@code columns} of the key columns
     */
    public EnvelopeWriter(SourceTable source, List<Column> columns, int[] keyIndexes) {
        this.keyIndexes = keyIndexes.clone();
        this.rowIndexes = IntStream.range(0, columns.size()).toArray();
        this.fieldNames = columns.stream().map(c -> new SerializedString(c.name())).toArray(SerializedString[]::new);
        this.sourceFields = EnvelopeJsonWriter.sourceFields(source.system(), source.sourceName(), source.database(),
                source.schema(), source.table());
        this.columns = EnvelopeJsonWriter.columns(columns);
    }

    /** The Kafka key: a JSON object of the key columns. */
    public byte[] key(Object[] values) {
        return out.key(fields(keyIndexes, values));
    }

    /**
     * The Kafka value: the envelope.
     *
     * @param op c, u or d; a delete carries the row as {@code before}, the others as {@code after}
     * @param values the row, indexed like the columns
     * @param position the source position for people ({@code orders.csv:42})
     * @param seqHigh first element of {@code source.seq}
     * @param seqLow second element of {@code source.seq}
     * @param sourceTsMs when the source wrote the change (file modification time, message timestamp, ...)
     * @param tsMs when the event is produced
     */
    public byte[] value(Op op, Object[] values, String position, long seqHigh, long seqLow, long sourceTsMs, long tsMs) {
        EnvelopeJsonWriter.Fields row = fields(rowIndexes, values);
        EnvelopeJsonWriter.Source source = new EnvelopeJsonWriter.Source(sourceFields, position, seqHigh, seqLow, false,
                sourceTsMs);
        return op == Op.DELETE
                ? out.value(op, row, null, source, tsMs, columns)
                : out.value(op, null, row, source, tsMs, columns);
    }

    private EnvelopeJsonWriter.Fields fields(int[] indexes, Object[] values) {
        return g -> {
            for (int i : indexes) {
                g.writeFieldName(fieldNames[i]);
                value(g, values[i]);
            }
        };
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else {
            throw new IllegalArgumentException("not an envelope value: " + v.getClass().getName());
        }
    }
}
