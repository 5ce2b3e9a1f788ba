package io.lakeshift.orchestration.airflow;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading Airflow's JSON leniently: fields missing, null or of a newer shape read as absent. */
final class Json {

    static final ObjectMapper MAPPER = io.lakeshift.core.json.Json.mapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asBoolean(fallback);
    }

    static int integer(JsonNode node, String field, int fallback) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? fallback : value.asInt();
    }

    static Double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? null : value.asDouble();
    }

    /** Airflow writes {@code 2024-01-01T00:00:00+00:00}; Airflow 2's task instances may omit the offset (UTC). */
    static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    static Map<String, Object> map(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            return Map.of();
        }
        return MAPPER.convertValue(value, MAP);
    }

    static List<String> names(JsonNode node, String field) {
        List<String> names = new ArrayList<>();
        for (JsonNode item : node.path(field)) {
            String name = item.isTextual() ? item.asText() : text(item, "name");
            if (name != null) {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }
}
