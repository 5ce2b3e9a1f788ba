package io.lakeshift.orchestration.airflow;

import java.time.Instant;

/**
 * One task of a DAG run.
 *
 * @param taskId the task id
 * @param mapIndex the index of a mapped task, -1 for an unmapped one
 * @param state Airflow's task state ({@code success}, {@code running}, {@code up_for_retry}, ...), or null when it has none yet
 * @param tryNumber the current try, starting at 1 once it ran
 * @param startDate when the current try started, or null
 * @param endDate when it ended, or null
 * @param durationSeconds how long it ran, or null
 * @param operator the operator class name, or null
 */
public record TaskInstance(
        String taskId,
        int mapIndex,
        String state,
        int tryNumber,
        Instant startDate,
        Instant endDate,
        Double durationSeconds,
        String operator) {
}
