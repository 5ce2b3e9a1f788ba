package io.lakeshift.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads an envelope's {@code columns} array, as JSON text, into (name, logical type name) pairs. */
final class ColumnDeclarations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ColumnDeclarations() {
    }

    static List<Map.Entry<String, String>> parse(String json) {
        List<Map.Entry<String, String>> columns = new ArrayList<>();
        try {
            for (JsonNode c : JSON.readTree(json)) {
                if (c.hasNonNull("name") && c.hasNonNull("type")) {
                    columns.add(Map.entry(c.get("name").asText(), c.get("type").asText()));
                }
            }
        } catch (IOException e) {
            return List.of(); // Spark wrote this JSON itself; unreadable means no declarations
        }
        return columns;
    }
}
