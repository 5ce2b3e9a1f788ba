package io.lakeshift.tests.migration;

import io.lakeshift.cli.migrate.MigrationJobConfig;
import io.lakeshift.cli.migrate.TopicOffsets;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.ingestion.CdcSource;
import io.lakeshift.migration.StreamingJobs;
import io.lakeshift.streaming.RunningApply;
import io.lakeshift.streaming.StreamingApplyJob;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.envelope.TopicNames;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;

/**
 * The migration's streaming jobs run in the test's JVM, on its one SparkSession: the real
 * {@link StreamingApplyJob} with the configuration and checkpoint {@code lakeshift migrate} gives
 * its child processes ({@link MigrationJobConfig}). The scheduled (INCREMENTAL) job runs when the
 * test says a tick of the DAG's cadence has come ({@link #tick()}), available-now, as
 * {@code IncrementalRunner} does on the clock.
 */
final class InProcessStreamingJobs implements StreamingJobs, AutoCloseable {

    private static final Duration CATCH_UP = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final LakeshiftConfig config;
    private final Path userConfig;
    private final CdcSource cdc;
    private Mode mode = Mode.NONE;
    private PipelineConfig pipeline;
    private String table;
    private RunningApply continuous;
    private int ticks;

    InProcessStreamingJobs(SparkSession spark, LakeshiftConfig config, Path userConfig, CdcSource cdc) {
        this.spark = spark;
        this.config = config;
        this.userConfig = userConfig;
        this.cdc = cdc;
    }

    @Override
    public synchronized void runContinuous(PipelineConfig p, String target) {
        if (mode == Mode.CONTINUOUS && target.equals(table) && continuous.query().isActive()) {
            return;
        }
        stop(p);
        continuous = start(p, target, StreamingApplyJob.Mode.CONTINUOUS);
        set(Mode.CONTINUOUS, p, target);
    }

    @Override
    public synchronized void schedule(PipelineConfig p, String target, String cadence) {
        if (mode == Mode.SCHEDULED && target.equals(table)) {
            return;
        }
        stop(p);
        set(Mode.SCHEDULED, p, target);
    }

    @Override
    public synchronized void stop(PipelineConfig p) {
        if (continuous != null) {
            continuous.close();
            continuous = null;
        }
        set(Mode.NONE, null, null);
    }

    @Override
    public synchronized JobView view(PipelineConfig p) {
        return mode == Mode.NONE ? JobView.NONE : new JobView(mode, table, mode + " in the test JVM");
    }

    /** Everything committed in the source so far is in the table the job writes. */
    @Override
    public synchronized void awaitCaughtUp(PipelineConfig p, Duration timeout) throws TimeoutException, InterruptedException {
        try {
            cdc.watermark(timeout);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot mark the source's log: " + e.getMessage(), e);
        }
        switch (mode) {
            case CONTINUOUS -> awaitApplied(topicEnd(p), timeout);
            case SCHEDULED -> tick();
            case NONE -> throw new IllegalStateException("no streaming job runs for pipeline " + p.name());
        }
    }

    /**
     * Waits until the continuous query has finished a batch that reaches {@code end} (the Kafka
     * offsets of the moment it was asked); a source that keeps changing does not hold it up.
     */
    private void awaitApplied(Map<TopicPartition, Long> end, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StreamingQuery query = continuous.query();
            if (query.exception().isDefined()) {
                throw new IllegalStateException("streaming job failed: " + query.exception().get().getMessage());
            }
            if (reached(query, end)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the streaming job did not reach " + end + " within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static boolean reached(StreamingQuery query, Map<TopicPartition, Long> end) {
        StreamingQueryProgress progress = query.lastProgress();
        if (progress == null || progress.sources().length == 0) {
            return end.values().stream().allMatch(o -> o == 0);
        }
        try {
            JsonNode offsets = JSON.readTree(progress.sources()[0].endOffset());
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                JsonNode done = offsets.path(e.getKey().topic()).path(Integer.toString(e.getKey().partition()));
                if (e.getValue() > 0 && (done.isMissingNode() || done.asLong() < e.getValue())) {
                    return false;
                }
            }
            return true;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable query progress: " + e.getMessage(), e);
        }
    }

    private Map<TopicPartition, Long> topicEnd(PipelineConfig p) {
        return TopicOffsets.end(config.kafka(), TopicNames.changes(config.kafka().topicPrefix(), p.source(), p.sourceSchema(),
                p.sourceTable()));
    }

    /** A tick of the INCREMENTAL stage's cadence: one available-now run of the job, to its end. */
    synchronized void tick() {
        if (mode != Mode.SCHEDULED) {
            throw new IllegalStateException("the job is not scheduled but " + mode);
        }
        try (RunningApply run = start(pipeline, table, StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            run.awaitTermination();
        } catch (org.apache.spark.sql.streaming.StreamingQueryException e) {
            throw new IllegalStateException("available-now run failed: " + e.getMessage(), e);
        }
        ticks++;
    }

    synchronized int ticks() {
        return ticks;
    }

    /** Catches up without asking the engine, for the test's own checks. */
    void awaitCaughtUp() throws TimeoutException, InterruptedException {
        awaitCaughtUp(pipeline, CATCH_UP);
    }

    private RunningApply start(PipelineConfig p, String target, StreamingApplyJob.Mode trigger) {
        try {
            return StreamingApplyJob.start(spark, jobConfig(p, target), p.source(), trigger);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the streaming job of " + p.name() + " did not start: " + e.getMessage(), e);
        }
    }

    private LakeshiftConfig jobConfig(PipelineConfig p, String target) {
        Path file = MigrationJobConfig.write(config.dataDir().resolve("migrations").resolve("jobs"), config, userConfig, p, target);
        return ConfigLoader.load(file, config.dataDir(), List.of());
    }

    private void set(Mode newMode, PipelineConfig p, String target) {
        this.mode = newMode;
        this.pipeline = p == null ? pipeline : p;
        this.table = target;
    }

    @Override
    public synchronized void close() {
        if (continuous != null) {
            continuous.close();
            continuous = null;
        }
    }
}
