package io.lakeshift.orchestration.launcher;

/** A job could not be started or stopped. */
public class JobLaunchException extends RuntimeException {

    public JobLaunchException(String message) {
        super(message);
    }

    public JobLaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
