package io.lakeshift.cli.migrate;

import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.envelope.TopicNames;
import io.lakeshift.core.io.OwnerOnly;
import io.lakeshift.migration.StreamingJobs;
import io.lakeshift.streaming.StreamingApplyJob;
import io.lakeshift.orchestration.launcher.JobLauncher;
import io.lakeshift.orchestration.launcher.JobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import java.util.concurrent.TimeoutException;

/**
 * The migration's streaming jobs as child processes of the job launcher, one per pipeline
 * ({@code migrate-<pipeline>}): {@link io.lakeshift.streaming.StreamingApplyJob} with the continuous
 * trigger, or {@link IncrementalRunner} (available-now on a cadence), each with its
 * {@link MigrationJobConfig} under {@code <dataDir>/migrations/jobs}.
 */
final class LauncherStreamingJobs implements StreamingJobs {

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

    /**
     * A continuous job has caught up when its checkpoint's newest committed batch reaches the
     * topic's end offsets of this moment. A scheduled job is not waited for: it applies on its
     * cadence, and the reconciliation's point-in-time rebuild reads the changelog it has written.
     */
    @Override
    public void awaitCaughtUp(PipelineConfig pipeline, Duration timeout) throws TimeoutException, InterruptedException {
        JobView view = view(pipeline);
        if (view.mode() == Mode.NONE) {
            throw new IllegalStateException("no streaming job runs for pipeline " + pipeline.name());
        }
        if (view.mode() == Mode.SCHEDULED) {
            return;
        }
        Map<TopicPartition, Long> end = TopicOffsets.end(config.kafka(), TopicNames.changes(config.kafka().topicPrefix(),
                pipeline.source(), pipeline.sourceSchema(), pipeline.sourceTable()));
        Path checkpoint = MigrationJobConfig.checkpointDir(config, pipeline).resolve(StreamingApplyJob.jobName(pipeline.source()))
                .resolve(pipeline.name());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!CheckpointProgress.reached(checkpoint, end)) {
            if (!launcher.status(jobId(pipeline)).running()) {
                throw new IllegalStateException("the streaming job of pipeline " + pipeline.name() + " stopped; see its log under "
                        + config.dataDir().resolve("jobs"));
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the streaming job of pipeline " + pipeline.name() + " has not applied Kafka up to "
                        + end + " within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    private boolean running(PipelineConfig pipeline, String table, String mode) {
        String[] current = readMode(pipeline);
        return current != null && current[0].equals(table) && current[1].equals(mode)
                && launcher.status(jobId(pipeline)).running();
    }

    private void start(PipelineConfig pipeline, String table, String mainClass, List<String> extra, String mode) {
        Path jobConfig = MigrationJobConfig.write(dir, config, userConfig, pipeline, table);
        List<String> args = new ArrayList<>(List.of("--config", jobConfig.toString(), "--source", pipeline.source()));
        args.addAll(extra);
        // the job config sets its own pipeline and checkpoint
        List<String> inherited = overrides.stream()
                .filter(o -> !o.startsWith("pipelines") && !o.startsWith("spark.checkpointDir")).toList();
        launcher.start(ChildJvm.spec(jobId(pipeline), mainClass, args, inherited));
        try {
            OwnerOnly.writeString(dir.resolve(jobId(pipeline) + ".mode"), table + "\n" + mode + "\n");
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

    static String jobId(PipelineConfig p) {
        return MigrationJobConfig.jobId(p);
    }
}
