package io.lakeshift.cli.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.migration.StreamingJobs;
import io.lakeshift.orchestration.launcher.JobLauncher;
import io.lakeshift.orchestration.launcher.JobSpec;
import io.lakeshift.orchestration.launcher.JobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The migration's streaming jobs as child processes of the job launcher, one per pipeline
 * ({@code migrate-<pipeline>}): {@link io.lakeshift.streaming.StreamingApplyJob} with the continuous
 * trigger, or {@link IncrementalRunner} (available-now on a cadence). Each job gets a config file of
 * its own under {@code <dataDir>/migrations/jobs}: the user's configuration with only this pipeline,
 * its target set to the table the stage writes, and a checkpoint under
 * {@code <dataDir>/migrations/checkpoints/<pipeline>} that carries over from one stage to the next.
 */
final class LauncherStreamingJobs implements StreamingJobs {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final LakeshiftConfig config;
    private final Path userConfig;
    private final JobLauncher launcher;
    private final List<String> overrides;
    private final Path dir;

    LauncherStreamingJobs(LakeshiftConfig config, Path userConfig, List<String> overrides, JobLauncher launcher) {
        this.config = config;
        this.userConfig = userConfig;
        this.overrides = List.copyOf(overrides);
        this.launcher = launcher;
        this.dir = config.dataDir().resolve("migrations").resolve("jobs");
    }

    @Override
    public void runContinuous(PipelineConfig pipeline, String table) {
        if (running(pipeline, table, "continuous")) {
            return;
        }
        stop(pipeline);
        start(pipeline, table, "io.lakeshift.streaming.StreamingApplyJob", List.of("--trigger", "continuous"), "continuous");
    }

    @Override
    public void schedule(PipelineConfig pipeline, String table, String cadence) {
        if (running(pipeline, table, "scheduled " + cadence)) {
            return;
        }
        stop(pipeline);
        start(pipeline, table, IncrementalRunner.class.getName(), List.of("--cadence", cadence), "scheduled " + cadence);
    }

    @Override
    public void stop(PipelineConfig pipeline) {
        launcher.stop(jobId(pipeline));
        try {
            Files.deleteIfExists(dir.resolve(jobId(pipeline) + ".mode"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public JobView view(PipelineConfig pipeline) {
        JobStatus status = launcher.status(jobId(pipeline));
        String[] mode = readMode(pipeline);
        if (!status.running() || mode == null) {
            return JobView.NONE;
        }
        return new JobView(mode[1].startsWith("scheduled") ? Mode.SCHEDULED : Mode.CONTINUOUS, mode[0],
                mode[1] + ", pid " + status.pid().orElse(-1));
    }

    @Override
    public void awaitCaughtUp(PipelineConfig pipeline, Duration timeout) throws TimeoutException {
        // A running job applies what is in Kafka within its trigger interval; the reconciliation's
        // point-in-time rebuild makes later changes harmless. Make sure one is there at all.
        if (view(pipeline).mode() == Mode.NONE) {
            throw new IllegalStateException("no streaming job runs for pipeline " + pipeline.name());
        }
    }

    private boolean running(PipelineConfig pipeline, String table, String mode) {
        String[] current = readMode(pipeline);
        return current != null && current[0].equals(table) && current[1].equals(mode)
                && launcher.status(jobId(pipeline)).running();
    }

    private void start(PipelineConfig pipeline, String table, String mainClass, List<String> extra, String mode) {
        Path jobConfig = writeJobConfig(pipeline, table);
        List<String> args = new ArrayList<>(List.of("--config", jobConfig.toString(), "--source", pipeline.source()));
        args.addAll(extra);
        for (String o : overrides) {
            if (!o.startsWith("pipelines") && !o.startsWith("spark.checkpointDir")) {
                args.add("--set");
                args.add(o);
            }
        }
        List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        List<String> jvm = new ArrayList<>(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .stream().filter(a -> a.startsWith("--add-opens") || a.startsWith("-Xmx") || a.startsWith("-Djdk.reflect")).toList());
        launcher.start(JobSpec.of(jobId(pipeline), mainClass, classpath).withArgs(args).withJvmOptions(jvm));
        try {
            Files.writeString(dir.resolve(jobId(pipeline) + ".mode"), table + "\n" + mode + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String[] readMode(PipelineConfig pipeline) {
        Path file = dir.resolve(jobId(pipeline) + ".mode");
        try {
            return Files.exists(file) ? Files.readString(file).split("\n") : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path writeJobConfig(PipelineConfig p, String table) {
        try {
            Files.createDirectories(dir);
            ObjectNode root = userConfig == null ? YAML.createObjectNode() : (ObjectNode) YAML.readTree(userConfig.toFile());
            root.put("dataDir", config.dataDir().toString());
            ArrayNode pipelines = root.putArray("pipelines");
            ObjectNode node = pipelines.addObject();
            node.put("name", p.name());
            node.put("source", p.source());
            node.put("table", p.table());
            node.put("target", table);
            node.put("stage", p.stage());
            node.put("writeMode", p.writeMode());
            ArrayNode key = node.putArray("key");
            p.key().forEach(key::add);
            ObjectNode spark = root.has("spark") ? (ObjectNode) root.get("spark") : root.putObject("spark");
            spark.put("checkpointDir", config.dataDir().resolve("migrations").resolve("checkpoints").resolve(p.name()).toString());
            Path file = dir.resolve(jobId(p) + ".yaml");
            YAML.writeValue(file.toFile(), root);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job config of pipeline " + p.name(), e);
        }
    }

    static String jobId(PipelineConfig p) {
        return "migrate-" + p.name().replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
