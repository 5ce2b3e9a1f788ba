package io.lakeshift.migration;

import java.util.Map;

/**
 * How one pipeline migrates: its legacy DAG, where its batch job records the source position, the
 * shadow table, and per stage the gates to enter it. Read by {@link Playbooks}.
 *
 * @param pipeline the pipeline name, as in the Lakeshift configuration
 * @param dag the Airflow DAG of the legacy batch job that writes the pipeline's table
 * @param schedule the DAG's cadence (cron or preset); the available-now job keeps it in INCREMENTAL
 * @param positionProperty snapshot summary key in which the batch job records the source position it read at
 * @param shadowTable the table the streaming job writes in SHADOW; null for {@code <target>__shadow}
 * @param gates gates per stage to enter (SHADOW, INCREMENTAL, STREAMING); a stage without gates has {@link Gates#NONE}
 * @param source where the playbook was read from, for messages
 */
public record Playbook(String pipeline, String dag, String schedule, String positionProperty, String shadowTable,
        Map<Stage, Gates> gates, String source) {

    public static final String DEFAULT_POSITION_PROPERTY = "lakeshift.source-position";
    public static final String SHADOW_SUFFIX = "__shadow";

    public Playbook {
        gates = gates == null ? Map.of() : Map.copyOf(gates);
        positionProperty = positionProperty == null ? DEFAULT_POSITION_PROPERTY : positionProperty;
    }

    /** The gates to enter {@code stage}. */
    public Gates gatesInto(Stage stage) {
        return gates.getOrDefault(stage, Gates.NONE);
    }

    /** The shadow table of a pipeline whose target is {@code target}. */
    public String shadowTableOf(String target) {
        return shadowTable != null ? shadowTable : target + SHADOW_SUFFIX;
    }
}
