package io.lakeshift.orchestration.launcher;

/** Whether a job's process is alive. */
public enum JobState {
    /** Its process is alive. */
    RUNNING,
    /** It ran under this state directory and its process has ended (stopped, finished or crashed: see its log). */
    STOPPED,
    /** No job with this id was ever started under this state directory. */
    NOT_FOUND
}
