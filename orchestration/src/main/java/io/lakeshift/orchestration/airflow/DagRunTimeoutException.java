package io.lakeshift.orchestration.airflow;

/** A DAG run did not finish within the time a caller was willing to wait; the run itself goes on. */
public class DagRunTimeoutException extends AirflowException {

    private final DagRun lastSeen;

    public DagRunTimeoutException(String message, DagRun lastSeen) {
        super(message, lastSeen.dagId(), NO_STATUS);
        this.lastSeen = lastSeen;
    }

    /** The run as it was when the wait gave up. */
    public DagRun lastSeen() {
        return lastSeen;
    }
}
