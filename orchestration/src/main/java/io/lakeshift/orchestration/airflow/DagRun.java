package io.lakeshift.orchestration.airflow;

import java.time.Instant;
import java.util.Map;

/**
 * One run of a DAG.
 *
 * @param dagId the DAG id
 * @param runId the run id, unique within the DAG
 * @param state the run's state
 * @param logicalDate the logical date (Airflow 2's execution date); null for an Airflow 3 run triggered without one
 * @param startDate when the run started, or null while queued
 * @param endDate when the run ended, or null while not finished
 * @param runType {@code manual}, {@code scheduled}, {@code backfill}, ...
 * @param conf the run's configuration, as given when it was triggered
 */
public record DagRun(
        String dagId,
        String runId,
        DagRunState state,
        Instant logicalDate,
        Instant startDate,
        Instant endDate,
        String runType,
        Map<String, Object> conf) {

    public DagRun {
        conf = conf == null ? Map.of() : conf;
    }
}
