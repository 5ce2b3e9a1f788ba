package io.lakeshift.orchestration.launcher;

import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * A job's status.
 *
 * @param jobId the job id
 * @param state running, stopped or not found
 * @param pid the process id while running (and of the last run once stopped, if known)
 * @param startedAt when the process started, if known
 * @param logFile where the process's output goes
 */
public record JobStatus(String jobId, JobState state, OptionalLong pid, Instant startedAt, Path logFile) {

    public boolean running() {
        return state == JobState.RUNNING;
    }
}
