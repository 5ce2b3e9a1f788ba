package io.lakeshift.orchestration.airflow;

/**
 * A call to Airflow failed. The message names the DAG (when the call was about one), the HTTP
 * status and the request; it never holds a password or token. Subclasses name the failures a
 * caller may handle differently.
 */
public class AirflowException extends RuntimeException {

    /** {@link #httpStatus()} when no HTTP answer was received. */
    public static final int NO_STATUS = 0;

    private final String dagId;
    private final int httpStatus;
    private final int attempts;

    public AirflowException(String message, String dagId, int httpStatus, int attempts, Throwable cause) {
        super(message, cause);
        this.dagId = dagId;
        this.httpStatus = httpStatus;
        this.attempts = attempts;
    }

    public AirflowException(String message, String dagId, int httpStatus) {
        this(message, dagId, httpStatus, 1, null);
    }

    /** The DAG the call was about, or null for calls about no single DAG (listing DAGs, getting a token). */
    public String dagId() {
        return dagId;
    }

    /** The HTTP status of Airflow's last answer, or {@link #NO_STATUS}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** How many times the request was sent; more than one after retries. */
    public int attempts() {
        return attempts;
    }
}
