package io.lakeshift.orchestration.launcher;

/**
 * Starts, stops and watches long-running Lakeshift jobs (streaming jobs, batch runs), each in a
 * process of its own that outlives the command that started it. A job is known by its id: its
 * pid file and log file live under the launcher's state directory, so a later command (another
 * JVM) can ask for its status or stop it. Get one from {@link JobLaunchers}.
 */
public interface JobLauncher {

    /**
     * Starts the job.
     *
     * @return its status right after the start: {@link JobState#RUNNING} with its pid
     * @throws JobLaunchException when a job with that id is running already, or the process cannot start
     */
    JobStatus start(JobSpec spec);

    /**
     * Stops the job: a polite termination signal first, then, after a grace period, a forced one.
     * Stopping a job that is not running is not an error.
     *
     * @return its status afterwards: {@link JobState#STOPPED}, or {@link JobState#NOT_FOUND} if it never ran here
     */
    JobStatus stop(String jobId);

    /** The job's status, read from its pid file and the operating system's process table. */
    JobStatus status(String jobId);
}
