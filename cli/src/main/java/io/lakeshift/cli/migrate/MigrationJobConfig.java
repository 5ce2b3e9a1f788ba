package io.lakeshift.cli.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.io.OwnerOnly;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration a migrating pipeline's streaming job runs with: the user's configuration with
 * only this pipeline, its target set to the table the stage writes (the shadow table, then the
 * pipeline's own), and a checkpoint under {@code <dataDir>/migrations/checkpoints/<pipeline>} that
 * carries over from one stage to the next, so a change of target neither re-reads nor skips Kafka.
 *
 * <p>The file keeps secret references, never secrets: a literal password, token or secret-looking
 * pass-through setting of the user's file ({@code sasl.jaas.config}, a catalog {@code credential},
 * ...) is moved into an owner-only file of its own beside the job's and referenced as
 * {@code file:PATH}; {@code env:} and {@code file:} references stay as they are. The folders are
 * {@code 0700}, the files {@code 0600}.
 */
public final class MigrationJobConfig {

    private static final ObjectMapper YAML = Json.yaml();

    private MigrationJobConfig() {
    }

    /** Where the job of a pipeline keeps its Spark checkpoint, whatever table it writes. */
    public static Path checkpointDir(LakeshiftConfig config, PipelineConfig pipeline) {
        return config.dataDir().resolve("migrations").resolve("checkpoints").resolve(pipeline.name());
    }

    /**
     * Writes the job's configuration file into {@code dir} and returns it.
     *
     * @param userConfig the user's configuration file, or null for the defaults
     */
    public static Path write(Path dir, LakeshiftConfig config, Path userConfig, PipelineConfig p, String table) {
        try {
            OwnerOnly.createDirectories(dir);
            ObjectNode root = userConfig == null ? YAML.createObjectNode() : (ObjectNode) YAML.readTree(userConfig.toFile());
            new SecretFiles(dir.resolve(jobId(p) + ".secrets")).moveLiterals(root);
            root.put("dataDir", config.dataDir().toString());
            ObjectNode node = root.putArray("pipelines").addObject();
            node.put("name", p.name());
            node.put("source", p.source());
            node.put("table", p.table());
            node.put("target", table);
            node.put("stage", p.stage());
            node.put("writeMode", p.writeMode());
            array(node, "key", p.key());
            array(node, "partitionBy", p.partitionBy());
            array(node, "sortBy", p.sortBy());
            if (p.transform() != null && !p.transform().isBlank()) {
                node.put("transform", p.transform());
            }
            ObjectNode spark = root.has("spark") ? (ObjectNode) root.get("spark") : root.putObject("spark");
            spark.put("checkpointDir", checkpointDir(config, p).toString());
            Path file = dir.resolve(jobId(p) + ".yaml");
            OwnerOnly.writeString(file, YAML.writeValueAsString(root));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job config of pipeline " + p.name(), e);
        }
    }

    /** The job's name: {@code migrate-<pipeline>}. */
    public static String jobId(PipelineConfig p) {
        return "migrate-" + p.name().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void array(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }
}
