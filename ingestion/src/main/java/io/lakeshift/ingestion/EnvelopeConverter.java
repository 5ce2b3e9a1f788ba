package io.lakeshift.ingestion;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.EnvelopeJsonWriter;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.json.Json;
import java.io.IOException;
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

    private static final ObjectMapper MAPPER = Json.mapper();

    private final String sourceName;
    private final SourceDialect dialect;
    private final Map<String, List<String>> configuredKeys;
    private final Map<Schema, RowPlan> rowPlans = new IdentityHashMap<>();
    private final Map<Schema, RowPlan> keyPlans = new IdentityHashMap<>();
    private final EnvelopeJsonWriter writer = new EnvelopeJsonWriter();
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
        byte[] key = writer.key(key(record, position, row, delete ? before : after));
        EnvelopeJsonWriter.Source source = new EnvelopeJsonWriter.Source(sourcePrefix(position).fields, position.position(),
                position.seqHigh(), position.seqLow(), position.snapshot(), position.tsMs());
        byte[] envelope = writer.value(Op.fromCode(opCode), fields(before, before == null ? null : rowPlan(before.schema())),
                fields(after, row), source, tsMs == null ? System.currentTimeMillis() : tsMs, row.columnsJson);
        return new EncodedChange(record.topic(), key, envelope, position, row.columns);
    }

    private EnvelopeJsonWriter.Fields key(SourceRecord record, SourcePosition position, RowPlan row, Struct image) {
        List<String> configured = configuredKeys.isEmpty() ? null : configuredKeys.get(position.qualifiedTable());
        if (configured != null && !configured.isEmpty()) {
            return g -> {
                for (String column : configured) {
                    int i = row.indexOf(column);
                    if (i < 0) {
                        throw new IllegalArgumentException("configured key column '" + column + "' is not in "
                                + position.qualifiedTable());
                    }
                    g.writeFieldName(row.names[i]);
                    row.writeValue(g, image, i);
                }
            };
        }
        if (record.key() instanceof Struct keyStruct) {
            return fields(keyStruct, keyPlan(keyStruct.schema()));
        }
        // No primary key and none configured: the whole row identifies it.
        return fields(image, row);
    }

    /** The constant fields of a table's source block (system, name, database, schema, table), encoded once. */
    private SourcePrefix sourcePrefix(SourcePosition p) {
        SourcePrefix last = lastPrefix;
        if (last != null && last.matches(p)) {
            return last;
        }
        lastPrefix = new SourcePrefix(p.database(), p.schema(), p.table(),
                EnvelopeJsonWriter.sourceFields(dialect.system(), sourceName, p.database(), p.schema(), p.table()));
        return lastPrefix;
    }

    private record SourcePrefix(String database, String schema, String table, SerializedString fields) {
        boolean matches(SourcePosition p) {
            return java.util.Objects.equals(database, p.database()) && java.util.Objects.equals(schema, p.schema())
                    && table.equals(p.table());
        }
    }

    private static EnvelopeJsonWriter.Fields fields(Struct struct, RowPlan plan) {
        if (struct == null) {
            return null;
        }
        return g -> {
            for (int i = 0; i < plan.names.length; i++) {
                g.writeFieldName(plan.names[i]);
                plan.writeValue(g, struct, i);
            }
        };
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
            columnsJson = EnvelopeJsonWriter.columns(columns);
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
