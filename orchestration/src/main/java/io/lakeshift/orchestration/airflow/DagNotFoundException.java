package io.lakeshift.orchestration.airflow;

/** Airflow does not know the DAG (HTTP 404): a wrong DAG id, or a DAG file Airflow has not parsed. */
public class DagNotFoundException extends AirflowException {

    public DagNotFoundException(String message, String dagId, int attempts) {
        super(message, dagId, 404, attempts, null);
    }
}
