package io.lakeshift.ingestion;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lakeshift.core.envelope.Column;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns a Debezium change record into Lakeshift's envelope, written straight to the JSON bytes
 * that {@link io.lakeshift.core.envelope.ChangeEventCodec} reads: key = the key columns, value =
 * {@code op}, {@code before}, {@code after}, {@code source}, {@code ts_ms}, {@code columns}.
 *
 * <p>This is the hot path of capture, so the work that depends only on a table's schema (column
 * names, logical types, the encoded {@code columns} list, how each value is written) is done
 * once per Debezium schema instance and cached; each record then costs one pass over its values.
 * Not thread-safe: one converter per source, used by the engine's handler thread.
 *
 * <p>The key: a configured key (a pipeline's {@code key}) if there is one for the table, else the
 * primary key Debezium reports, else, for a table without any key, the whole row.
 */
final class EnvelopeConverter {

    private static final JsonFactory JSON = new JsonFactory()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)
            .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final SerializedString OP = new SerializedString("op");
    private static final SerializedString BEFORE = new SerializedString("before");
    private static final SerializedString AFTER = new SerializedString("after");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString TS_MS = new SerializedString("ts_ms");
    private static final SerializedString COLUMNS = new SerializedString("columns");
    private static final SerializedString POSITION = new SerializedString("position");
    private static final SerializedString SEQ = new SerializedString("seq");
    private static final SerializedString SNAPSHOT = new SerializedString("snapshot");

    private final String sourceName;
    private final SourceDialect dialect;
    private final Map<String, List<String>> configuredKeys;
    private final Map<Schema, RowPlan> rowPlans = new IdentityHashMap<>();
    private final Map<Schema, RowPlan> keyPlans = new IdentityHashMap<>();
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
    private JsonGenerator generator;
    private SourcePrefix lastPrefix;

    /** A PostgreSQL source's converter. */
    EnvelopeConverter(String sourceName, Map<String, List<String>> configuredKeys) {
        this(sourceName, new PostgresDialect(), configuredKeys);
    }

    /**
     * @param sourceName the Lakeshift source name
     * @param dialect the kind of database the records come from
     * @param configuredKeys key columns by {@code schema.table} for tables without a primary key
     */
    EnvelopeConverter(String sourceName, SourceDialect dialect, Map<String, List<String>> configuredKeys) {
        this.sourceName = sourceName;
        this.dialect = dialect;
        this.configuredKeys = Map.copyOf(configuredKeys);
    }

    /**
     * @throws IllegalArgumentException when the record is not a Debezium change record, or a
     *     configured key column is not in the table
     * @throws RuntimeException when a value cannot be written (out of range, unknown form)
     */
    EncodedChange convert(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            throw new IllegalArgumentException("record has no value");
        }
        String opCode = value.getString("op");
        boolean delete = switch (opCode == null ? "" : opCode) {
            case "c", "u", "r" -> false;
            case "d" -> true;
            default -> throw new IllegalArgumentException("unknown op '" + opCode + "'");
        };
        Struct before = value.getStruct("before");
        Struct after = value.getStruct("after");
        Struct image = after != null ? after : before;
        if (image == null || (delete && before == null)) {
            throw new IllegalArgumentException("change record without the row image its op needs");
        }
        SourcePosition position = dialect.position(value.getStruct("source"));
        RowPlan row = rowPlan(image.schema());
        Long tsMs = value.getInt64("ts_ms");
        try {
            JsonGenerator g = generator();
            writeKey(g, record, position, row, delete ? before : after);
            byte[] key = take(g);
            g.writeStartObject();
            g.writeFieldName(OP);
            g.writeString(opCode);
            g.writeFieldName(BEFORE);
            writeRow(g, before, before == null ? null : rowPlan(before.schema()));
            g.writeFieldName(AFTER);
            writeRow(g, after, row);
            g.writeFieldName(SOURCE);
            writeSource(g, position);
            g.writeFieldName(TS_MS);
            g.writeNumber(tsMs == null ? System.currentTimeMillis() : tsMs);
            g.writeFieldName(COLUMNS);
            g.writeRawValue(row.columnsJson);
            g.writeEndObject();
            return new EncodedChange(record.topic(), key, take(g), position, row.columns);
        } catch (IOException | RuntimeException e) {
            // The generator may be inside an object now: start the next record with a new one.
            generator = null;
            buffer.reset();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * One generator for the converter's life, writing root values back to back into one buffer:
     * creating a generator per record costs more than the record.
     */
    private JsonGenerator generator() throws IOException {
        if (generator == null) {
            buffer.reset();
            generator = JSON.createGenerator(buffer, JsonEncoding.UTF8);
            generator.setRootValueSeparator(null);
        }
        return generator;
    }

    private byte[] take(JsonGenerator g) throws IOException {
        g.flush();
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        return bytes;
    }

    private void writeKey(JsonGenerator g, SourceRecord record, SourcePosition position, RowPlan row, Struct image)
            throws IOException {
        List<String> configured = configuredKeys.isEmpty() ? null : configuredKeys.get(position.qualifiedTable());
        if (configured != null && !configured.isEmpty()) {
            g.writeStartObject();
            for (String column : configured) {
                int i = row.indexOf(column);
                if (i < 0) {
                    throw new IllegalArgumentException("configured key column '" + column + "' is not in "
                            + position.qualifiedTable());
                }
                g.writeFieldName(row.names[i]);
                row.writeValue(g, image, i);
            }
            g.writeEndObject();
        } else if (record.key() instanceof Struct keyStruct) {
            writeRow(g, keyStruct, keyPlan(keyStruct.schema()));
        } else {
            // No primary key and none configured: the whole row identifies it.
            writeRow(g, image, row);
        }
    }

    private void writeSource(JsonGenerator g, SourcePosition p) throws IOException {
        g.writeStartObject();
        g.writeRaw(sourcePrefix(p).fields);
        g.writeFieldName(POSITION);
        g.writeString(p.position());
        g.writeFieldName(SEQ);
        g.writeStartArray();
        g.writeNumber(p.seqHigh());
        g.writeNumber(p.seqLow());
        g.writeEndArray();
        g.writeFieldName(SNAPSHOT);
        g.writeBoolean(p.snapshot());
        g.writeFieldName(TS_MS);
        g.writeNumber(p.tsMs());
        g.writeEndObject();
    }

    /** The constant fields of a table's source block (system, name, database, schema, table), encoded once. */
    private SourcePrefix sourcePrefix(SourcePosition p) {
        SourcePrefix last = lastPrefix;
        if (last != null && last.matches(p)) {
            return last;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("\"system\":").append(quote(dialect.system())).append(",\"name\":").append(quote(sourceName));
        if (p.database() != null) {
            sb.append(",\"database\":").append(quote(p.database()));
        }
        if (p.schema() != null) {
            sb.append(",\"schema\":").append(quote(p.schema()));
        }
        sb.append(",\"table\":").append(quote(p.table())).append(',');
        lastPrefix = new SourcePrefix(p.database(), p.schema(), p.table(), new SerializedString(sb.toString()));
        return lastPrefix;
    }

    private static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record SourcePrefix(String database, String schema, String table, SerializedString fields) {
        boolean matches(SourcePosition p) {
            return java.util.Objects.equals(database, p.database()) && java.util.Objects.equals(schema, p.schema())
                    && table.equals(p.table());
        }
    }

    private static void writeRow(JsonGenerator g, Struct struct, RowPlan plan) throws IOException {
        if (struct == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (int i = 0; i < plan.names.length; i++) {
            g.writeFieldName(plan.names[i]);
            plan.writeValue(g, struct, i);
        }
        g.writeEndObject();
    }

    private RowPlan rowPlan(Schema schema) {
        return rowPlans.computeIfAbsent(schema, RowPlan::new);
    }

    private RowPlan keyPlan(Schema schema) {
        return keyPlans.computeIfAbsent(schema, RowPlan::new);
    }

    /** What one table version's row images need to be written: computed once per schema instance. */
    private static final class RowPlan {
        final Field[] fields;
        final SerializedString[] names;
        final ConnectValues.ValueKind[] kinds;
        final boolean[] hasDefault;
        final List<Column> columns;
        final SerializedString columnsJson;

        RowPlan(Schema schema) {
            List<Field> list = schema.fields();
            int n = list.size();
            fields = list.toArray(new Field[0]);
            names = new SerializedString[n];
            kinds = new ConnectValues.ValueKind[n];
            hasDefault = new boolean[n];
            List<Column> cols = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Schema s = fields[i].schema();
                names[i] = new SerializedString(fields[i].name());
                kinds[i] = ConnectValues.kindOf(s);
                hasDefault[i] = s.defaultValue() != null;
                cols.add(new Column(fields[i].name(), ConnectValues.typeOf(s), s.isOptional()));
            }
            columns = List.copyOf(cols);
            try {
                columnsJson = new SerializedString(MAPPER.writeValueAsString(columns));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int indexOf(String column) {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i].name().equals(column)) {
                    return i;
                }
            }
            return -1;
        }

        void writeValue(JsonGenerator g, Struct struct, int i) throws IOException {
            // Struct.get(Field) substitutes the column default for a null: a SQL NULL must stay null.
            Object v = hasDefault[i] ? struct.getWithoutDefault(fields[i].name()) : struct.get(fields[i]);
            if (v == null) {
                g.writeNull();
                return;
            }
            switch (kinds[i]) {
                case STRING -> g.writeString(v.toString());
                case INT -> g.writeNumber(((Number) v).longValue());
                case BOOLEAN -> g.writeBoolean((Boolean) v);
                case FLOAT64 -> g.writeNumber(((Number) v).doubleValue());
                case FLOAT32 -> g.writeNumber(((Number) v).floatValue());
                case DECIMAL -> g.writeString(((BigDecimal) v).toPlainString());
                case BYTES -> g.writeBinary(ConnectValues.bytes(v));
                case MICRO_TIMESTAMP -> g.writeString(ConnectValues.timestamp(((Number) v).longValue()));
                case ZONED_TIMESTAMP -> g.writeString(ConnectValues.zonedTimestamp((String) v));
                case NESTED -> MAPPER.writeValue(g, ConnectValues.valueOf(kinds[i], fields[i].schema(), v));
                default -> g.writeString((String) ConnectValues.valueOf(kinds[i], fields[i].schema(), v));
            }
        }
    }
}
