package io.lakeshift.camel.it;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Configurations written as users write them: YAML merged over the embedded defaults. */
final class TestConfigs {

    private TestConfigs() {
    }

    static LakeshiftConfig load(Path dataDir, String bootstrapServers, String sourcesYaml) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve("lakeshift.yaml");
        // core binds SourceConfig.port as a primitive and rejects a source without one, so non-CDC
        // sources carry "port: 0" until core accepts its absence
        String withPorts = sourcesYaml.replaceAll("(?m)^(\\s*)kind: (file|jdbc|jms)$", "$1kind: $2\n$1port: 0");
        Files.writeString(file, "kafka:\n  topicPrefix: it\nsources:\n" + withPorts, StandardCharsets.UTF_8);
        return ConfigLoader.load(file, dataDir, List.of("kafka.bootstrapServers=" + bootstrapServers));
    }

    /** Drops a file the way a well-behaved producer does: written aside, then moved in. */
    static Path drop(Path directory, String name, byte[] content) throws IOException {
        Files.createDirectories(directory);
        Path tmp = directory.resolve(name + ".tmp");
        Files.write(tmp, content);
        return Files.move(tmp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    static Path drop(Path directory, String name, String content) throws IOException {
        return drop(directory, name, content.getBytes(StandardCharsets.UTF_8));
    }
}
