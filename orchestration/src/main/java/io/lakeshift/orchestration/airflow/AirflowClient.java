package io.lakeshift.orchestration.airflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a migration needs from Airflow: find the DAGs of the legacy batch jobs, pause and unpause
 * them, trigger a run and follow it to its end. One interface over Airflow 2 ({@code /api/v1})
 * and Airflow 3 ({@code /api/v2}); get one from {@link AirflowClients#create}.
 *
 * <p>Every call may throw an {@link AirflowException}: {@link DagNotFoundException} (404),
 * {@link AirflowUnauthorizedException} (401, 403), {@link DagRunConflictException} (409),
 * {@link AirflowUnreachableException} (no answer), or the base type for any other failure.
 * Connection errors, 429 and 5xx answers are retried with exponential backoff up to
 * {@code airflow.maxRetries} times first; other 4xx answers are not. Implementations are thread-safe.
 */
public interface AirflowClient {

    /** How often {@link #waitForDagRun(String, String, Duration)} asks for the run's state. */
    Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    /** All DAGs Airflow knows (every page), in Airflow's order (by DAG id). */
    List<DagInfo> listDags();

    /** One DAG. */
    DagInfo getDag(String dagId);

    /** Pauses the DAG: the scheduler stops creating runs; running ones go on. Returns the DAG as updated. */
    DagInfo pause(String dagId);

    /** Unpauses the DAG. Returns the DAG as updated. */
    DagInfo unpause(String dagId);

    /**
     * Triggers a run. Safe to retry: the run id is chosen before the first attempt, so a retry after
     * a lost answer returns the run that attempt created rather than starting another.
     *
     * @throws DagRunConflictException when a run with that run id or logical date exists already
     */
    DagRun trigger(String dagId, DagRunRequest request);

    /** Triggers a run with this configuration and Airflow's default logical date. */
    default DagRun trigger(String dagId, Map<String, ?> conf) {
        return trigger(dagId, DagRunRequest.of(conf));
    }

    /** One run of a DAG. */
    DagRun getDagRun(String dagId, String runId);

    /** The task instances of one run, every page. */
    List<TaskInstance> listTaskInstances(String dagId, String runId);

    /** The most recent runs of a DAG, newest first, at most {@code limit} of them. */
    List<DagRun> listDagRuns(String dagId, int limit);

    /**
     * Polls the run every {@code pollInterval} until it succeeds or fails.
     *
     * @return the finished run, whether it succeeded or failed
     * @throws DagRunTimeoutException when it has not finished after {@code timeout}
     */
    DagRun waitForDagRun(String dagId, String runId, Duration timeout, Duration pollInterval);

    /** {@link #waitForDagRun(String, String, Duration, Duration)} polling every {@link #DEFAULT_POLL_INTERVAL}. */
    default DagRun waitForDagRun(String dagId, String runId, Duration timeout) {
        return waitForDagRun(dagId, runId, timeout, DEFAULT_POLL_INTERVAL);
    }
}
