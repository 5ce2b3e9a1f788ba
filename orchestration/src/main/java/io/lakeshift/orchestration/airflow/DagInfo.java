package io.lakeshift.orchestration.airflow;

import java.util.List;

/**
 * A DAG as Airflow lists it.
 *
 * @param dagId the DAG id
 * @param description the DAG's description, or null
 * @param paused whether the scheduler skips it
 * @param active whether Airflow still finds the DAG in its DAG folder (Airflow 3: not stale)
 * @param schedule the cron expression or preset, else Airflow's description of the timetable; null if unscheduled
 * @param tags the DAG's tags, sorted
 */
public record DagInfo(String dagId, String description, boolean paused, boolean active, String schedule, List<String> tags) {

    public DagInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
