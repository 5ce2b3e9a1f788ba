package io.lakeshift.migration;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.PipelineConfig;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The playbook of a pipeline that has no file of its own: its legacy DAG and cadence from the
 * pipeline's configuration ({@code dag}, {@code schedule}), the default shadow table and position
 * property, and gates that ask for evidence before each step (three clean reconciliations and a day
 * in SHADOW before INCREMENTAL, a day of prompt scheduled runs before STREAMING). {@code lakeshift
 * migrate init} writes it to a file for a team to edit ({@link #yaml(Playbook)}).
 */
public final class DefaultPlaybook {

    /** The cadence of a pipeline whose configuration gives none. */
    public static final String DEFAULT_SCHEDULE = "@daily";
    static final Gates INTO_SHADOW = Gates.NONE;
    static final Gates INTO_INCREMENTAL = new Gates(3, 0.0, Duration.ofMinutes(5), Duration.ofDays(1));
    static final Gates INTO_STREAMING = new Gates(0, null, Duration.ofMinutes(5), Duration.ofDays(1));

    private DefaultPlaybook() {
    }

    /**
     * The default playbook of {@code pipeline}, its DAG {@code dag} (null: the pipeline's own).
     *
     * @throws ConfigException when neither names the legacy DAG
     */
    public static Playbook of(PipelineConfig pipeline, String dag) {
        String theDag = dag != null && !dag.isBlank() ? dag.strip() : pipeline.dag();
        if (theDag == null || theDag.isBlank()) {
            throw new ConfigException("pipelines[" + pipeline.name() + "].dag", "'" + pipeline.name() + "' has no playbook and its"
                    + " configuration names no legacy DAG: set 'dag' (and 'schedule') on the pipeline for the default playbook,"
                    + " or write an editable one with 'lakeshift migrate init " + pipeline.name() + " --dag <DAG>'");
        }
        String schedule = pipeline.schedule() == null || pipeline.schedule().isBlank() ? DEFAULT_SCHEDULE : pipeline.schedule();
        Map<Stage, Gates> gates = new EnumMap<>(Stage.class);
        gates.put(Stage.SHADOW, INTO_SHADOW);
        gates.put(Stage.INCREMENTAL, INTO_INCREMENTAL);
        gates.put(Stage.STREAMING, INTO_STREAMING);
        return new Playbook(pipeline.name(), theDag, schedule, null, null, gates, "the default playbook of " + pipeline.name());
    }

    /** A playbook as the YAML file {@link Playbooks} reads, with comments saying what each key does. */
    public static String yaml(Playbook book, String target) {
        StringBuilder y = new StringBuilder();
        y.append("# Playbook of pipeline ").append(book.pipeline()).append(": how it moves from its batch job (Airflow DAG ")
                .append(book.dag()).append(")\n# to streaming. Edit the gates to what your team needs before each step;")
                .append(" durations: 0, 90s, 5m, 2h, 1d or PT5M.\n");
        y.append("pipeline: ").append(quoted(book.pipeline())).append('\n');
        y.append("dag: ").append(quoted(book.dag())).append("                # the legacy batch job; paused in INCREMENTAL and STREAMING\n");
        y.append("schedule: ").append(quoted(book.schedule())).append("          # its cadence; the INCREMENTAL runs keep it\n");
        y.append("batch:\n  # where the batch job records the source position it read at (Lakeshift's full reload does)\n");
        y.append("  positionProperty: ").append(quoted(book.positionProperty())).append('\n');
        y.append("shadow:\n  table: ").append(quoted(book.shadowTableOf(target))).append('\n');
        y.append("gates:\n");
        gate(y, "SHADOW", "start CDC and streaming into the shadow table", book.gatesInto(Stage.SHADOW));
        gate(y, "INCREMENTAL", "the streamed table becomes the table; the DAG is paused", book.gatesInto(Stage.INCREMENTAL));
        gate(y, "STREAMING", "continuous trigger", book.gatesInto(Stage.STREAMING));
        return y.toString();
    }

    private static void gate(StringBuilder y, String stage, String what, Gates g) {
        y.append("  ").append(stage).append(":    # ").append(what).append('\n');
        if (g.consecutiveCleanReconciliations() > 0) {
            y.append("    consecutiveCleanReconciliations: ").append(g.consecutiveCleanReconciliations()).append('\n');
        }
        if (g.maxMismatchRatio() != null) {
            y.append("    maxMismatchRatio: ").append(g.maxMismatchRatio()).append('\n');
        }
        if (g.maxFreshnessLag() != null) {
            y.append("    maxFreshnessLag: ").append(duration(g.maxFreshnessLag())).append('\n');
        }
        y.append("    minTimeInStage: ").append(duration(g.minTimeInStage())).append('\n');
    }

    /** The short form when it reads back as the same duration (5m, 1d), else ISO-8601 (PT26H). */
    private static String duration(Duration d) {
        String shortForm = io.lakeshift.core.time.Durations.format(d);
        try {
            return io.lakeshift.core.time.Durations.parse(shortForm).equals(d) ? shortForm : d.toString();
        } catch (IllegalArgumentException e) {
            return d.toString();
        }
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
