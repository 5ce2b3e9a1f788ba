package io.lakeshift.orchestration.airflow;

/**
 * Airflow refused the credentials (HTTP 401) or the user's permissions (HTTP 403). Never retried:
 * check airflow.username, airflow.password or airflow.token.
 */
public class AirflowUnauthorizedException extends AirflowException {

    public AirflowUnauthorizedException(String message, String dagId, int httpStatus, int attempts) {
        super(message, dagId, httpStatus, attempts, null);
    }
}
