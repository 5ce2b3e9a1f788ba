package io.lakeshift.orchestration.airflow;

import java.util.Locale;

/** The state of a DAG run, as both Airflow 2 and Airflow 3 report it. */
public enum DagRunState {
    QUEUED,
    RUNNING,
    SUCCESS,
    FAILED,
    /** A state this client does not know, from a newer Airflow; never terminal, so a wait runs to its timeout. */
    UNKNOWN;

    /** True once the run can no longer change: success or failed. */
    public boolean terminal() {
        return this == SUCCESS || this == FAILED;
    }

    /** Airflow's wire name: {@code queued}, {@code running}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DagRunState fromWire(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        for (DagRunState state : values()) {
            if (state != UNKNOWN && state.wireName().equals(value)) {
                return state;
            }
        }
        return UNKNOWN;
    }
}
