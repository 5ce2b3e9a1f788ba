package io.lakeshift.orchestration.airflow;

/** Airflow answered 404 for a DAG run: the run id, or its DAG, does not exist. */
public class DagRunNotFoundException extends AirflowException {

    private final String runId;

    public DagRunNotFoundException(String message, String dagId, String runId, int attempts) {
        super(message, dagId, 404, attempts, null);
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
