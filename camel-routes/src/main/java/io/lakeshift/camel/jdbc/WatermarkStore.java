package io.lakeshift.camel.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.io.AtomicFiles;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The durable watermark of a polled table: one JSON file, replaced atomically (written, fsynced,
 * renamed), so a crash leaves either the old watermark or the new one.
 */
final class WatermarkStore {

    private static final ObjectMapper JSON = Json.exactNumbers();

    private final Path file;

    WatermarkStore(Path stateDir) {
        this.file = stateDir.resolve("watermark.json");
    }

    Path file() {
        return file;
    }

    Optional<Watermark> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Watermark.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the watermark " + file, e);
        }
    }

    void save(Watermark watermark) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, JSON.writeValueAsBytes(watermark));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the watermark " + file, e);
        }
    }
}
