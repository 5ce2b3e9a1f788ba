package io.lakeshift.cli.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshift.batch.SqlRunner.QueryResult;
import io.lakeshift.cli.TextTable;
import io.lakeshift.core.json.Json;
import java.util.List;

/** Renders query results as an aligned table, CSV (RFC 4180) or JSON (an array of objects with typed values). */
final class ResultFormatter {

    /** Output formats of {@code lakeshift sql}. */
    enum Format { TABLE, CSV, JSON }

    private static final String NULL = "NULL";

    private ResultFormatter() {
    }

    static String format(QueryResult result, Format format) {
        return switch (format) {
            case TABLE -> table(result);
            case CSV -> csv(result);
            case JSON -> json(result);
        };
    }

    static String table(QueryResult r) {
        TextTable table = TextTable.ruled(r.columns());
        for (List<String> row : r.rows()) {
            table.rowOfText(row.stream().map(ResultFormatter::display).toList());
        }
        int n = r.rows().size();
        return table.render() + "(" + n + (n == 1 ? " row)" : " rows)") + "\n";
    }

    private static String display(String value) {
        return value == null ? NULL : value.replace("\n", "\\n");
    }

    static String csv(QueryResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", r.columns().stream().map(ResultFormatter::csvField).toList())).append('\n');
        for (List<String> row : r.rows()) {
            sb.append(String.join(",", row.stream().map(v -> v == null ? "" : csvField(v)).toList())).append('\n');
        }
        return sb.toString();
    }

    private static String csvField(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    static String json(QueryResult r) {
        // decimals keep their scale: 12.30 stays 12.30
        ObjectMapper mapper = Json.exactNumbers();
        ArrayNode array = mapper.createArrayNode();
        for (List<Object> row : r.values()) {
            ObjectNode object = array.addObject();
            for (int i = 0; i < r.columns().size(); i++) {
                object.set(r.columns().get(i), mapper.valueToTree(row.get(i)));
            }
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }
}
