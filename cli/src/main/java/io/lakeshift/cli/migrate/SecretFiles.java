package io.lakeshift.cli.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.io.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Moves the literal secrets of a configuration tree into owner-only files and leaves
 * {@code file:PATH} references in their place: the settings Lakeshift reads as secrets
 * ({@code password}, {@code token}) and the secret-looking keys of the pass-through maps, which
 * are exactly the places where a {@code file:} reference is resolved.
 */
final class SecretFiles {

    private static final List<String> SECRET_FIELDS = List.of("password", "token");
    private static final List<String> PASS_THROUGH = List.of("client", "producer", "properties", "conf");

    private final Path dir;
    private int written;

    SecretFiles(Path dir) {
        this.dir = dir;
    }

    void moveLiterals(ObjectNode root) throws IOException {
        clear();
        for (String section : List.of("catalog", "airflow")) {
            if (root.get(section) instanceof ObjectNode node) {
                moveSecretFields(node);
                movePassThrough(node);
            }
        }
        for (String section : List.of("kafka", "spark")) {
            if (root.get(section) instanceof ObjectNode node) {
                movePassThrough(node);
            }
        }
        for (JsonNode source : root.path("sources")) {
            if (source instanceof ObjectNode node) {
                moveSecretFields(node);
                movePassThrough(node);
            }
        }
    }

    private void moveSecretFields(ObjectNode node) throws IOException {
        for (String field : SECRET_FIELDS) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual()) {
                node.set(field, reference(value.asText()));
            }
        }
    }

    private void movePassThrough(ObjectNode node) throws IOException {
        for (String field : PASS_THROUGH) {
            if (node.get(field) instanceof ObjectNode map) {
                Iterator<Map.Entry<String, JsonNode>> entries = map.fields();
                while (entries.hasNext()) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    if (entry.getValue().isTextual() && Secret.looksSecret(entry.getKey())) {
                        entry.setValue(reference(entry.getValue().asText()));
                    }
                }
            }
        }
    }

    private TextNode reference(String value) throws IOException {
        if (value.isEmpty() || Secret.isReference(value)) {
            return TextNode.valueOf(value);
        }
        Path file = dir.resolve("secret-" + written++);
        OwnerOnly.writeString(file, value);
        return TextNode.valueOf("file:" + file.toAbsolutePath());
    }

    /** Secrets of an earlier start of the job: a secret removed from the configuration must not linger. */
    private void clear() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }
}
