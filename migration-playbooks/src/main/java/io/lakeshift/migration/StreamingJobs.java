package io.lakeshift.migration;

import io.lakeshift.core.config.PipelineConfig;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Runs a pipeline's streaming apply job for the migration engine: continuously, or on a schedule
 * with an available-now trigger, writing to the table the stage says. Every method is idempotent:
 * asking for what runs already changes nothing, so a transition can be resumed after a crash.
 * One job per migrating pipeline, with a checkpoint of its own that survives a change of target
 * table (the shadow table, then the pipeline's table).
 */
public interface StreamingJobs {

    /** What runs for a pipeline. */
    enum Mode { NONE, CONTINUOUS, SCHEDULED }

    /**
     * @param mode what runs
     * @param table the table it writes, {@code namespace.table}; null when nothing runs
     * @param detail for people: pid, cadence, last run
     */
    record JobView(Mode mode, String table, String detail) {
        public static final JobView NONE = new JobView(Mode.NONE, null, "");
    }

    /** Runs the job with a continuous trigger into {@code table}, replacing a schedule or a job on another table. */
    void runContinuous(PipelineConfig pipeline, String table);

    /** Runs the job with an available-now trigger into {@code table} on {@code cadence}, replacing a continuous job. */
    void schedule(PipelineConfig pipeline, String table, String cadence);

    /** Stops the continuous job and removes the schedule, waiting for a run in flight to commit. */
    void stop(PipelineConfig pipeline);

    JobView view(PipelineConfig pipeline);

    /** Waits until what is in the pipeline's topic now has been applied (the job must be running or scheduled). */
    void awaitCaughtUp(PipelineConfig pipeline, Duration timeout) throws TimeoutException, InterruptedException;
}
