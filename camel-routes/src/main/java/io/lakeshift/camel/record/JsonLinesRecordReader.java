package io.lakeshift.camel.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lakeshift.core.envelope.LogicalType;
import java.io.IOException;
import java.io.Reader;

/**
 * JSON Lines records: one JSON object per line, fields by the declared column names. Scalars are
 * taken as their text (numbers exactly, decimals without exponent) and validated like any text; an
 * object or array is accepted only by a {@code json} column. Absent fields and JSON null are null.
 */
final class JsonLinesRecordReader implements RecordReader {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final LineReader lines;
    private final RecordSchema schema;
    private final boolean[] jsonColumn;
    private final String[] values;
    private String raw;
    private String malformed;

    JsonLinesRecordReader(Reader in, RecordLayout layout) throws UnreadableInputException {
        this.lines = new LineReader(in, layout.maxRecordChars());
        try {
            this.schema = RecordSchema.of(layout, layout.columns());
        } catch (IllegalArgumentException e) {
            throw new UnreadableInputException("the declared columns have " + e.getMessage());
        }
        this.values = new String[schema.fieldCount()];
        this.jsonColumn = new boolean[schema.fieldCount()];
        for (int i = 0; i < schema.columns().size(); i++) {
            jsonColumn[i] = schema.columns().get(i).type().kind() == LogicalType.Kind.JSON;
        }
    }

    @Override
    public RecordSchema schema() {
        return schema;
    }

    @Override
    public boolean next() throws IOException {
        raw = lines.next();
        if (raw == null) {
            return false;
        }
        malformed = null;
        if (lines.truncated()) {
            malformed = "line longer than " + raw.length() + " characters";
            return true;
        }
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            malformed = "not valid JSON: " + e.getOriginalMessage();
            return true;
        }
        if (node == null || !node.isObject()) {
            malformed = "not a JSON object";
            return true;
        }
        for (int f = 0; f < values.length; f++) {
            String name = schema.fieldNames().get(f);
            JsonNode v = node.get(name);
            if (v == null || v.isNull() || v.isMissingNode()) {
                values[f] = null;
            } else if (v.isContainerNode()) {
                if (!jsonColumn[f]) {
                    malformed = "field '" + name + "' is a JSON " + (v.isArray() ? "array" : "object") + ", expected a scalar";
                    return true;
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
        return true;
    }

    @Override
    public long line() {
        return lines.lineNumber();
    }

    @Override
    public String raw() {
        return raw;
    }

    @Override
    public String malformed() {
        return malformed;
    }

    @Override
    public String[] values() {
        return values;
    }

    @Override
    public void close() {
        // the caller owns the underlying reader
    }
}
