package io.lakeshift.cli.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a streaming query running in another process has committed, read from its Spark
 * checkpoint: the newest batch in {@code commits/} and the Kafka offsets {@code offsets/<batch>}
 * recorded for it (after a version line and a metadata line, one JSON line per source).
 */
final class CheckpointProgress {

    private static final ObjectMapper JSON = Json.mapper();

    private CheckpointProgress() {
    }

    /** Whether the newest committed batch reaches every offset of {@code end} (exclusive end offsets, as Kafka gives). */
    static boolean reached(Path checkpoint, Map<TopicPartition, Long> end) {
        OptionalLong batch = newestCommit(checkpoint);
        if (batch.isEmpty()) {
            return end.values().stream().allMatch(o -> o == 0);
        }
        List<JsonNode> sources = sourceOffsets(checkpoint.resolve("offsets").resolve(Long.toString(batch.getAsLong())));
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            long done = -1;
            for (JsonNode source : sources) {
                JsonNode offset = source.path(e.getKey().topic()).path(Integer.toString(e.getKey().partition()));
                if (!offset.isMissingNode()) {
                    done = Math.max(done, offset.asLong());
                }
            }
            if (e.getValue() > 0 && done < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    static OptionalLong newestCommit(Path checkpoint) {
        Path commits = checkpoint.resolve("commits");
        if (!Files.isDirectory(commits)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> files = Files.list(commits)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d+"))
                    .mapToLong(Long::parseLong).max();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + checkpoint, e);
        }
    }

    private static List<JsonNode> sourceOffsets(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().skip(2).filter(l -> l.startsWith("{")).map(CheckpointProgress::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint's offsets " + file, e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable offsets in a checkpoint: " + line, e);
        }
    }
}
