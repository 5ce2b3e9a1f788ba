package io.lakeshift.core.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.io.AtomicFiles;
import io.lakeshift.core.io.OwnerOnly;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Status of running components, one JSON file each under {@code <dataDir>/status/<group>/}, written
 * atomically (write, then rename) so a reader never sees half a file. Processes write their own;
 * the CLI's status commands read them all.
 */
public final class StatusFiles {

    private static final ObjectMapper JSON = Json.mapper();

    private final Path dir;

    /**
     * @param dataDir the Lakeshift data folder
     * @param group kind of component: {@code sources}, {@code pipelines}, ...
     */
    public StatusFiles(Path dataDir, String group) {
        this.dir = dataDir.resolve("status").resolve(group);
    }

    public void write(ComponentStatus status) {
        try {
            OwnerOnly.createDirectories(dir);
            Path target = dir.resolve(status.name() + ".json");
            AtomicFiles.write(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(status));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write status of " + status.name() + " to " + dir, e);
        }
    }

    /** Every status in the group, sorted by name; unreadable files are skipped. */
    public List<ComponentStatus> readAll() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ComponentStatus> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                try {
                    all.add(JSON.readValue(file.toFile(), ComponentStatus.class));
                } catch (IOException e) {
                    // a file from another version, or being replaced right now: not this reader's business
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return all;
    }

    public void delete(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete status of " + name, e);
        }
    }
}
