package io.lakeshift.migration;

/** The migration stages of a pipeline, in order (see DESIGN.md, "Migration stages"). */
public enum Stage {
    /** The legacy batch job (an Airflow DAG) writes the table; nothing else runs. */
    BATCH,
    /** CDC and the streaming job write a shadow table; batch stays primary and is reconciled against it. */
    SHADOW,
    /** The streaming result is the table; the job runs with an available-now trigger on the DAG's cadence; the DAG is paused. */
    INCREMENTAL,
    /** The streaming job runs with a continuous trigger. */
    STREAMING;

    /** The next stage, or null after STREAMING. */
    public Stage next() {
        return ordinal() + 1 < values().length ? values()[ordinal() + 1] : null;
    }

    /** The previous stage, or null before BATCH. */
    public Stage previous() {
        return ordinal() > 0 ? values()[ordinal() - 1] : null;
    }

    /** Parses a stage name, any case; null when it is none. */
    static Stage parse(String name) {
        if (name == null) {
            return null;
        }
        for (Stage s : values()) {
            if (s.name().equalsIgnoreCase(name.strip())) {
                return s;
            }
        }
        return null;
    }
}
