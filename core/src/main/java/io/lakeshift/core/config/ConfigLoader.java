package io.lakeshift.core.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the configuration: the embedded defaults ({@value #DEFAULTS}), deep-merged with the user's
 * YAML file, then {@code key=value} overrides ({@code kafka.bootstrapServers=broker:9092},
 * {@code sources[0].host=db1}), then {@code ${dataDir}} expanded, then validated.
 */
public final class ConfigLoader {

    public static final String DEFAULTS = "/io/lakeshift/core/config/lakeshift-defaults.yaml";
    private static final String DATA_DIR_PLACEHOLDER = "${dataDir}";

    private static final ObjectMapper YAML = Json.yaml();

    private ConfigLoader() {
    }

    /**
     * Loads and validates.
     *
     * @param file the user's YAML file, or null for the defaults alone
     * @param dataDir the data folder, or null to keep the configured one
     * @param overrides {@code key=value} settings applied last
     * @throws ConfigException naming every invalid key
     */
    public static LakeshiftConfig load(Path file, Path dataDir, List<String> overrides) {
        ObjectNode tree = readDefaults();
        if (file != null) {
            merge(tree, readFile(file));
        }
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        if (dataDir != null) {
            tree.put("dataDir", dataDir.toString());
        }
        Path resolvedDataDir = Path.of(tree.path("dataDir").asText("lakeshift-data")).toAbsolutePath().normalize();
        tree.put("dataDir", resolvedDataDir.toString());
        expand(tree, resolvedDataDir.toString());
        resolvePassThroughSecrets(tree);
        LakeshiftConfig config = bind(tree);
        ConfigValidator.validate(config);
        return config;
    }

    public static LakeshiftConfig defaults(Path dataDir) {
        return load(null, dataDir, List.of());
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException("embedded defaults " + DEFAULTS + " missing from the classpath");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded defaults", e);
        }
    }

    private static ObjectNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--config", "file " + file + " does not exist");
        }
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("--config", file + " must hold a YAML mapping at the top level");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new ConfigException("--config", file + " is not valid YAML: " + e.getMessage());
        }
    }

    /** Deep merge: mappings merge key by key, anything else (lists included) replaces. */
    static void merge(ObjectNode target, ObjectNode update) {
        Iterator<Map.Entry<String, JsonNode>> fields = update.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode updateObject) {
                merge(existingObject, updateObject);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set", "'" + override + "' is not key=value");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1);
        String[] parts = key.split("\\.");
        JsonNode node = tree;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            String name = part;
            Integer index = null;
            int bracket = part.indexOf('[');
            if (bracket >= 0 && part.endsWith("]")) {
                name = part.substring(0, bracket);
                try {
                    index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
                } catch (NumberFormatException e) {
                    throw new ConfigException(key, "bad list index in '" + part + "'");
                }
            }
            boolean last = i == parts.length - 1;
            ObjectNode parent = (ObjectNode) node;
            if (index == null) {
                if (last) {
                    parent.set(name, scalar(value));
                } else {
                    JsonNode child = parent.get(name);
                    node = child instanceof ObjectNode ? child : parent.putObject(name);
                }
            } else {
                JsonNode list = parent.get(name);
                if (!(list instanceof ArrayNode array) || index < 0 || index >= array.size()) {
                    throw new ConfigException(key, "no element " + index + " in '" + name + "'");
                }
                if (last) {
                    array.set(index, scalar(value));
                } else {
                    node = array.get(index);
                }
            }
        }
    }

    private static JsonNode scalar(String value) {
        try {
            JsonNode parsed = YAML.readTree(value);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(value) : parsed;
        } catch (IOException e) {
            return TextNode.valueOf(value);
        }
    }

    private static void expand(JsonNode node, String dataDir) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual() && field.getValue().asText().contains(DATA_DIR_PLACEHOLDER)) {
                    field.setValue(TextNode.valueOf(field.getValue().asText().replace(DATA_DIR_PLACEHOLDER, dataDir)));
                } else {
                    expand(field.getValue(), dataDir);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element.isTextual() && element.asText().contains(DATA_DIR_PLACEHOLDER)) {
                    array.set(i, TextNode.valueOf(element.asText().replace(DATA_DIR_PLACEHOLDER, dataDir)));
                } else {
                    expand(element, dataDir);
                }
            }
        }
    }

    /**
     * Resolves {@code env:NAME} and {@code file:PATH} values (see {@link Secret#resolveSetting}) in
     * the settings passed through to clients as they are, so a JAAS configuration or a REST
     * catalog credential need not be written into the file.
     */
    static void resolvePassThroughSecrets(ObjectNode tree) {
        resolveMap(tree.path("kafka"), "client", "kafka.client");
        resolveMap(tree.path("kafka"), "producer", "kafka.producer");
        resolveMap(tree.path("catalog"), "properties", "catalog.properties");
        resolveMap(tree.path("spark"), "conf", "spark.conf");
        JsonNode sources = tree.path("sources");
        for (int i = 0; i < sources.size(); i++) {
            resolveMap(sources.get(i), "properties", "sources[" + i + "].properties");
        }
    }

    private static void resolveMap(JsonNode parent, String field, String key) {
        if (!(parent.get(field) instanceof ObjectNode map)) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> entries = map.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (entry.getValue().isTextual()) {
                try {
                    entry.setValue(TextNode.valueOf(Secret.resolveSetting(entry.getKey(), entry.getValue().asText())));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key + "." + entry.getKey(), e.getMessage());
                }
            }
        }
    }

    private static LakeshiftConfig bind(ObjectNode tree) {
        try {
            return YAML.treeToValue(tree, LakeshiftConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(path(e), "unknown key (known here: " + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            String reason = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage() : e.getOriginalMessage();
            throw new ConfigException(path(e), reason);
        } catch (IOException e) {
            throw new ConfigException("(root)", e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(root)" : sb.toString();
    }
}
