package io.lakeshift.orchestration.airflow;

/** Airflow refused to create a DAG run (HTTP 409): a run with that run id or logical date exists. */
public class DagRunConflictException extends AirflowException {

    public DagRunConflictException(String message, String dagId, int attempts) {
        super(message, dagId, 409, attempts, null);
    }
}
