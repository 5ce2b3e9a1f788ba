package io.lakeshift.ingestion;

import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.envelope.SourceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns a Debezium PostgreSQL change record into Lakeshift's {@link ChangeEvent}.
 *
 * <p>The event's {@code source.seq} is {@code [lsn, 0]} for snapshot reads and {@code [lsn, 1]}
 * for streamed changes. Ordering one key's changes by the change's own LSN is sound because
 * PostgreSQL serialises writes to the same row (row locks, unique-index waits): a later writer's
 * change is logged after the earlier writer committed.
 */
final class EnvelopeConverter {

    private final String sourceName;
    private final Map<String, List<String>> configuredKeys;
    private final Map<Schema, List<Column>> columnsBySchema = new ConcurrentHashMap<>();

    /**
     * @param sourceName the Lakeshift source name
     * @param configuredKeys key columns by {@code schema.table} for tables without a primary key
     */
    EnvelopeConverter(String sourceName, Map<String, List<String>> configuredKeys) {
        this.sourceName = sourceName;
        this.configuredKeys = Map.copyOf(configuredKeys);
    }

    /**
     * @throws IllegalArgumentException when the record is not a Debezium change record
     */
    ChangeEvent convert(SourceRecord record) {
        Struct value = (Struct) record.value();
        if (value == null) {
            throw new IllegalArgumentException("record has no value");
        }
        Op op = Op.fromCode(value.getString("op"));
        Struct before = value.getStruct("before");
        Struct after = value.getStruct("after");
        Struct source = value.getStruct("source");
        Struct image = after != null ? after : before;
        if (image == null) {
            throw new IllegalArgumentException("change record with neither 'before' nor 'after'");
        }
        Map<String, Object> afterRow = ConnectValues.row(after);
        Map<String, Object> beforeRow = ConnectValues.row(before);
        String schema = source.getString("schema");
        String table = source.getString("table");
        Map<String, Object> key = key(record, schema + "." + table, op == Op.DELETE ? beforeRow : afterRow);
        Long tsMs = value.getInt64("ts_ms");
        return new ChangeEvent(op, key, beforeRow, afterRow, sourceInfo(source),
                tsMs == null ? System.currentTimeMillis() : tsMs, columns(image.schema()));
    }

    private Map<String, Object> key(SourceRecord record, String table, Map<String, Object> row) {
        List<String> configured = configuredKeys.get(table);
        if (configured != null && !configured.isEmpty()) {
            Map<String, Object> key = new java.util.LinkedHashMap<>();
            for (String column : configured) {
                if (!row.containsKey(column)) {
                    throw new IllegalArgumentException("configured key column '" + column + "' is not in " + table);
                }
                key.put(column, row.get(column));
            }
            return key;
        }
        if (record.key() instanceof Struct keyStruct) {
            return ConnectValues.row(keyStruct);
        }
        // No primary key and none configured: the whole row identifies it.
        return row;
    }

    private SourceInfo sourceInfo(Struct source) {
        Long lsn = source.getInt64("lsn");
        long position = lsn == null ? 0L : lsn;
        String snapshot = source.getString("snapshot");
        boolean isSnapshot = snapshot != null && !"false".equals(snapshot);
        Long ts = source.getInt64("ts_ms");
        return new SourceInfo("postgresql", sourceName, source.getString("db"), source.getString("schema"),
                source.getString("table"), "lsn=" + formatLsn(position), new long[] {position, isSnapshot ? 0 : 1},
                isSnapshot, ts == null ? 0L : ts);
    }

    private List<Column> columns(Schema rowSchema) {
        return columnsBySchema.computeIfAbsent(rowSchema, s -> {
            List<Column> columns = new ArrayList<>();
            for (Field field : s.fields()) {
                columns.add(new Column(field.name(), ConnectValues.typeOf(field.schema()), field.schema().isOptional()));
            }
            return List.copyOf(columns);
        });
    }

    /** PostgreSQL's own LSN notation, {@code 16/B374D848}. */
    static String formatLsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
