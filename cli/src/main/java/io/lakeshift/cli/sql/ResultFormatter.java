package io.lakeshift.cli.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshift.batch.SqlRunner.QueryResult;
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
        int[] widths = new int[r.columns().size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = r.columns().get(i).length();
            for (List<String> row : r.rows()) {
                widths[i] = Math.max(widths[i], display(row.get(i)).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, r.columns(), widths);
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        sb.append('\n');
        for (List<String> row : r.rows()) {
            appendRow(sb, row.stream().map(ResultFormatter::display).toList(), widths);
        }
        sb.append('(').append(r.rows().size()).append(r.rows().size() == 1 ? " row)" : " rows)").append('\n');
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> values, int[] widths) {
        for (int i = 0; i < widths.length; i++) {
            String v = values.get(i);
            sb.append(i == 0 ? "" : " | ").append(v).append(" ".repeat(widths[i] - v.length()));
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
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
        ObjectMapper mapper = new ObjectMapper().setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
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
