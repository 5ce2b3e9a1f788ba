package io.lakeshift.camel.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.Op;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes change events in exactly the JSON form of {@link io.lakeshift.core.envelope.ChangeEventCodec}
 * (same fields, same order, same value forms, byte for byte), straight from an array of row values.
 *
 * <p>It exists for throughput: a file source writes one event per record, and building a
 * {@link io.lakeshift.core.envelope.ChangeEvent} with its maps and a JSON tree per record costs more
 * than reading the record. Everything that never changes for a table (the column declarations, the
 * field names, the source's names) is serialised once; per record only values, position and
 * sequence are written. Values must already be in their envelope form (see
 * {@link io.lakeshift.camel.record.ValueParsers}): String, Integer, Long, Float, Double, Boolean or
 * null. One instance per thread.
 */
public final class EnvelopeWriter {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final byte[] OP_PREFIX = ascii("{\"op\":\"");
    private static final byte[] BEFORE = ascii("\",\"before\":");
    private static final byte[] AFTER = ascii(",\"after\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] SEQ = ascii(",\"seq\":[");
    private static final byte[] SOURCE_TS = ascii("],\"snapshot\":false,\"ts_ms\":");
    private static final byte[] TS = ascii("},\"ts_ms\":");

    private final byte[][] fieldNames;
    private final byte[] sourcePrefix;
    private final byte[] columnsSuffix;
    private final int[] keyIndexes;
    private final JsonBytes out = new JsonBytes();

    /**
     * @param columns the row's columns, as the envelope declares them
     * @param keyIndexes indexes into {@code columns} of the key columns
     */
    public EnvelopeWriter(SourceTable source, List<Column> columns, int[] keyIndexes) {
        this.keyIndexes = keyIndexes.clone();
        this.fieldNames = new byte[columns.size()][];
        try {
            for (int i = 0; i < columns.size(); i++) {
                fieldNames[i] = utf8(JSON.writeValueAsString(columns.get(i).name()) + ":");
            }
            StringBuilder prefix = new StringBuilder(",\"source\":{\"system\":").append(JSON.writeValueAsString(source.system()))
                    .append(",\"name\":").append(JSON.writeValueAsString(source.sourceName()));
            if (source.database() != null) {
                prefix.append(",\"database\":").append(JSON.writeValueAsString(source.database()));
            }
            prefix.append(",\"schema\":").append(JSON.writeValueAsString(source.schema()))
                    .append(",\"table\":").append(JSON.writeValueAsString(source.table()))
                    .append(",\"position\":");
            this.sourcePrefix = utf8(prefix.toString());
            this.columnsSuffix = utf8(",\"columns\":" + JSON.writeValueAsString(columns) + "}");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the column declarations", e);
        }
    }

    /** The Kafka key: a JSON object of the key columns. */
    public byte[] key(Object[] values) {
        out.reset();
        out.raw('{');
        for (int k = 0; k < keyIndexes.length; k++) {
            if (k > 0) {
                out.raw(',');
            }
            out.raw(fieldNames[keyIndexes[k]]);
            value(values[keyIndexes[k]]);
        }
        out.raw('}');
        return out.toByteArray();
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
        out.reset();
        out.raw(OP_PREFIX).ascii(op.code()).raw(BEFORE);
        if (op == Op.DELETE) {
            row(values);
            out.raw(AFTER).raw(NULL);
        } else {
            out.raw(NULL).raw(AFTER);
            row(values);
        }
        out.raw(sourcePrefix).string(position).raw(SEQ).number(seqHigh).raw(',').number(seqLow)
                .raw(SOURCE_TS).number(sourceTsMs).raw(TS).number(tsMs).raw(columnsSuffix);
        return out.toByteArray();
    }

    private void row(Object[] values) {
        out.raw('{');
        for (int i = 0; i < fieldNames.length; i++) {
            if (i > 0) {
                out.raw(',');
            }
            out.raw(fieldNames[i]);
            value(values[i]);
        }
        out.raw('}');
    }

    private void value(Object v) {
        if (v == null) {
            out.raw(NULL);
        } else if (v instanceof String s) {
            out.string(s);
        } else if (v instanceof Integer i) {
            out.number(i);
        } else if (v instanceof Long l) {
            out.number(l);
        } else if (v instanceof Boolean b) {
            out.raw(b ? TRUE : FALSE);
        } else if (v instanceof Double d) {
            out.ascii(Double.toString(d));
        } else if (v instanceof Float f) {
            out.ascii(Float.toString(f));
        } else {
            throw new IllegalArgumentException("not an envelope value: " + v.getClass().getName());
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
