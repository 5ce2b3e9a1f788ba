package io.lakeshift.core.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads the JSON form of {@link ChangeEvent}: the Kafka key is a JSON object of the key
 * columns, the Kafka value the envelope. Thread-safe.
 */
public final class ChangeEventCodec {

    private static final ObjectMapper MAPPER = Json.exactNumbers();
    private static final ThreadLocal<EnvelopeJsonWriter> WRITER = ThreadLocal.withInitial(EnvelopeJsonWriter::new);

    private ChangeEventCodec() {
    }

    public static byte[] encodeKey(ChangeEvent event) {
        return WRITER.get().key(fields(event.key()));
    }

    public static byte[] encodeValue(ChangeEvent event) {
        SourceInfo s = event.source();
        EnvelopeJsonWriter.Source source = new EnvelopeJsonWriter.Source(
                EnvelopeJsonWriter.sourceFields(s.system(), s.name(), s.database(), s.schema(), s.table()),
                s.position(), s.seqHigh(), s.seqLow(), s.snapshot(), s.tsMs());
        return WRITER.get().value(event.op(), fields(event.before()), fields(event.after()), source, event.tsMs(),
                EnvelopeJsonWriter.columns(event.columns()));
    }

    private static EnvelopeJsonWriter.Fields fields(Map<String, Object> row) {
        if (row == null) {
            return null;
        }
        return g -> {
            for (Map.Entry<String, Object> column : row.entrySet()) {
                g.writeFieldName(column.getKey());
                g.writeObject(column.getValue());
            }
        };
    }

    /**
     * Reads an event from a Kafka key and value.
     *
     * @throws EnvelopeException naming the first thing that is wrong
     */
    public static ChangeEvent decode(byte[] key, byte[] value) {
        if (value == null) {
            throw new EnvelopeException("record has no value (a tombstone is not a change event)");
        }
        JsonNode root = parse(value, "value");
        if (!root.isObject()) {
            throw new EnvelopeException("value is not a JSON object");
        }
        Op op;
        try {
            op = Op.fromCode(required(root, "op").asText());
        } catch (IllegalArgumentException e) {
            throw new EnvelopeException(e.getMessage(), e);
        }
        SourceInfo source = convert(required(root, "source"), SourceInfo.class, "source");
        List<Column> columns = new ArrayList<>();
        JsonNode cols = root.path("columns");
        if (cols.isArray()) {
            for (JsonNode c : cols) {
                columns.add(convert(c, Column.class, "columns"));
            }
        }
        Map<String, Object> keyColumns = key == null ? Map.of() : toMap(parse(key, "key"), "key");
        try {
            return new ChangeEvent(op, keyColumns, toMap(root.get("before"), "before"),
                    toMap(root.get("after"), "after"), source, root.path("ts_ms").asLong(), columns);
        } catch (IllegalArgumentException e) {
            throw new EnvelopeException(e.getMessage(), e);
        }
    }

    public static String toJson(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new EnvelopeException("missing field '" + field + "'");
        }
        return node;
    }

    private static JsonNode parse(byte[] bytes, String what) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new EnvelopeException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new EnvelopeException(what + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static <T> T convert(JsonNode node, Class<T> type, String field) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new EnvelopeException("invalid '" + field + "': " + reason, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new EnvelopeException("'" + field + "' is not a JSON object");
        }
        return MAPPER.convertValue(node, LinkedHashMap.class);
    }

    private static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new EnvelopeException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
