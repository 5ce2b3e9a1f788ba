package io.lakeshift.camel.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.json.Json;
import java.io.Reader;

/**
 * JSON Lines records: one JSON object per line, fields by the declared column names. Scalars are
 * taken as their text (numbers exactly, decimals without exponent) and validated like any text; an
 * object or array is accepted only by a {@code json} column. Absent fields and JSON null are null.
 */
final class JsonLinesRecordReader extends LineRecordReader {

    private static final ObjectMapper JSON = Json.exactNumbers();

    private final boolean[] jsonColumn;

    JsonLinesRecordReader(Reader in, RecordLayout layout) throws UnreadableInputException {
        super(in, layout, "the declared columns have");
        RecordSchema schema = schema();
        this.jsonColumn = new boolean[schema.fieldCount()];
        for (int i = 0; i < schema.columns().size(); i++) {
            jsonColumn[i] = schema.columns().get(i).type().kind() == LogicalType.Kind.JSON;
        }
    }

    @Override
    void split(String raw, boolean truncated) {
        if (truncated) {
            return;
        }
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            malformed = "not valid JSON: " + e.getOriginalMessage();
            return;
        }
        if (node == null || !node.isObject()) {
            malformed = "not a JSON object";
            return;
        }
        for (int f = 0; f < values.length; f++) {
            String name = schema().fieldNames().get(f);
            JsonNode v = node.get(name);
            if (v == null || v.isNull() || v.isMissingNode()) {
                values[f] = null;
            } else if (v.isContainerNode()) {
                if (!jsonColumn[f]) {
                    malformed = "field '" + name + "' is a JSON " + (v.isArray() ? "array" : "object") + ", expected a scalar";
                    return;
                }
                values[f] = v.toString();
            } else if (v.isBigDecimal() || v.isFloatingPointNumber()) {
                values[f] = v.decimalValue().toPlainString();
            } else if (jsonColumn[f] && v.isTextual()) {
                values[f] = v.textValue();
            } else {
                values[f] = v.asText();
            }
        }
    }
}
