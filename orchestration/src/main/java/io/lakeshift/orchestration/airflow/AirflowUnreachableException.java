package io.lakeshift.orchestration.airflow;

/**
 * No answer from Airflow: connection refused, reset or timed out, on every attempt allowed by
 * airflow.maxRetries.
 */
public class AirflowUnreachableException extends AirflowException {

    public AirflowUnreachableException(String message, String dagId, int attempts, Throwable cause) {
        super(message, dagId, NO_STATUS, attempts, cause);
    }
}
