package io.lakeshift.orchestration.airflow;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to trigger: the run's configuration, and optionally its logical date, run id and note.
 *
 * <p>Without a run id the client chooses one, so that a trigger retried after a lost answer finds
 * the run its first attempt created instead of starting a second one.
 *
 * @param conf the run's configuration ({@code dag_run.conf}), a JSON object
 * @param logicalDate the logical date, or null for Airflow's default (now on Airflow 2, none on Airflow 3)
 * @param runId the run id, or null to let the client choose one
 * @param note a note shown beside the run in Airflow's UI, or null
 */
public record DagRunRequest(Map<String, Object> conf, Instant logicalDate, String runId, String note) {

    public DagRunRequest {
        conf = conf == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    }

    /** A run with this configuration and Airflow's defaults for the rest. */
    public static DagRunRequest of(Map<String, ?> conf) {
        return new DagRunRequest(conf == null ? null : new LinkedHashMap<>(conf), null, null, null);
    }

    public DagRunRequest withLogicalDate(Instant date) {
        return new DagRunRequest(conf, date, runId, note);
    }

    public DagRunRequest withRunId(String id) {
        return new DagRunRequest(conf, logicalDate, id, note);
    }

    public DagRunRequest withNote(String text) {
        return new DagRunRequest(conf, logicalDate, runId, text);
    }
}
