package io.lakeshift.orchestration.dags;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one Airflow DAG file per pipeline that names a {@code dag}: the DAG runs the pipeline's
 * full reload ({@code lakeshift batch run full-reload --pipeline <pipeline>}, or the batch jobs jar's
 * {@code FullReloadJob} under spark-submit) on the pipeline's {@code schedule} (default
 * {@value #DEFAULT_SCHEDULE}), through a BashOperator or a SparkSubmitOperator.
 *
 * <p>Configured values are data, never code: the file starts with a fixed coding line and fixed
 * comments, every configured string is a Python string literal ({@link Python}), and the task's
 * operator is a subclass with no template fields, so Airflow never renders a configured value as
 * a Jinja template. Spark settings whose keys look secret are left out of the file.
 *
 * <p>The output depends on the configuration alone (pipelines sorted by DAG id, no timestamps), so
 * regenerating an unchanged configuration rewrites identical bytes and the files can be committed.
 * The files import from Airflow 3's task SDK and fall back to Airflow 2's modules.
 */
public final class DagGenerator {

    public static final String DEFAULT_SCHEDULE = "@daily";

    /** Airflow's own rule for DAG ids (alphanumerics, dashes, dots and underscores, 250 at most). */
    private static final Pattern DAG_ID = Pattern.compile("[A-Za-z0-9_.-]{1,250}");
    private static final Logger LOG = LoggerFactory.getLogger(DagGenerator.class);

    private final DagOptions options;

    public DagGenerator(DagOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Writes {@code <dag id>.py} into {@code outDir} (created if needed) for each pipeline with a DAG.
     *
     * @return the files written, sorted by DAG id; empty when no pipeline names a DAG
     * @throws ConfigException when a DAG id is not a valid Airflow DAG id, or two pipelines share one
     */
    public List<Path> generate(LakeshiftConfig config, Path outDir) {
        List<PipelineConfig> pipelines = withDags(config.pipelines());
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(outDir);
            for (PipelineConfig pipeline : pipelines) {
                Path file = outDir.resolve(pipeline.dag() + ".py");
                Files.writeString(file, render(pipeline, config), StandardCharsets.UTF_8);
                written.add(file);
                LOG.info("DAG '{}' of pipeline '{}' written to {}", pipeline.dag(), pipeline.name(), file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write DAG files to " + outDir, e);
        }
        return written;
    }

    /** The pipelines that name a DAG, validated, sorted by DAG id. */
    static List<PipelineConfig> withDags(List<PipelineConfig> pipelines) {
        List<String> problems = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        List<PipelineConfig> selected = new ArrayList<>();
        for (int i = 0; i < pipelines.size(); i++) {
            PipelineConfig p = pipelines.get(i);
            if (p.dag() == null || p.dag().isBlank()) {
                continue;
            }
            String key = "pipelines[" + i + "].dag";
            if (!DAG_ID.matcher(p.dag()).matches()) {
                problems.add(key + ": '" + p.dag() + "' is not a DAG id (letters, digits, '_', '.', '-'; 250 at most)");
            } else if (owners.containsKey(p.dag())) {
                problems.add(key + ": DAG '" + p.dag() + "' is also the DAG of pipeline '" + owners.get(p.dag()) + "'");
            } else if (p.schedule() != null && p.schedule().isBlank()) {
                problems.add("pipelines[" + i + "].schedule: is blank; leave it out for " + DEFAULT_SCHEDULE);
            } else {
                owners.put(p.dag(), p.name());
                selected.add(p);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        selected.sort(Comparator.comparing(PipelineConfig::dag));
        return selected;
    }

    String render(PipelineConfig pipeline, LakeshiftConfig config) {
        String schedule = pipeline.schedule() == null ? DEFAULT_SCHEDULE : pipeline.schedule();
        String stage = pipeline.stage() == null ? "batch" : pipeline.stage().toLowerCase(Locale.ROOT);
        StringBuilder py = new StringBuilder();
        // fixed first lines: a configured value there could declare the file's encoding
        py.append("# -*- coding: utf-8 -*-\n")
                .append("# Generated by Lakeshift. Do not edit: change the pipeline in the Lakeshift configuration\n")
                .append("# and run `lakeshift airflow generate` again.\n")
                .append(Python.str("Lakeshift batch job of pipeline " + pipeline.name() + ".")).append("\n\n")
                .append("import datetime\n\n")
                .append("try:\n    from airflow.sdk import DAG\nexcept ImportError:  # Airflow 2\n    from airflow import DAG\n");
        py.append('\n').append(options.operator().imports()).append('\n');
        String operator = options.operator().className();
        py.append("\nclass Lakeshift").append(operator).append("(").append(operator).append("):\n")
                .append("    # the arguments come from the Lakeshift configuration: data, never Jinja templates\n")
                .append("    template_fields = ()\n")
                .append("    template_ext = ()\n\n\n");
        py.append("with DAG(\n")
                .append("    dag_id=").append(Python.str(pipeline.dag())).append(",\n")
                .append("    description=").append(Python.str(description(pipeline))).append(",\n")
                .append("    schedule=").append(Python.str(schedule)).append(",\n")
                .append("    start_date=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),\n")
                // the batch job catches up by itself: a backlog of runs would only repeat it
                .append("    catchup=False,\n")
                .append("    max_active_runs=1,\n")
                .append("    tags=").append(Python.list(List.of("lakeshift", stage))).append(",\n")
                .append("    default_args={\"owner\": \"lakeshift\", \"retries\": 1, ")
                .append("\"retry_delay\": datetime.timedelta(minutes=5)},\n")
                .append(") as dag:\n");
        py.append(options.operator() == DagOperator.BASH ? bashTask(pipeline) : sparkSubmitTask(pipeline, config));
        return py.toString();
    }

    private String bashTask(PipelineConfig pipeline) {
        String command = Shell.join(options.lakeshiftCommand(pipeline.name()));
        if (command.endsWith(".sh") || command.endsWith(".bash")) {
            // BashOperator reads a command ending in .sh as a template file name; a trailing space stops that
            command = command + " ";
        }
        return "    LakeshiftBashOperator(\n"
                + "        task_id=\"lakeshift_batch_run\",\n"
                + "        bash_command=" + Python.str(command) + ",\n"
                + "    )\n";
    }

    private String sparkSubmitTask(PipelineConfig pipeline, LakeshiftConfig config) {
        Map<String, String> conf = options.sparkConf(config.spark());
        List<String> secretKeys = options.secretSparkKeys(config.spark());
        // comments hold no configured value: the master and connection are in the task's arguments
        return (secretKeys.isEmpty() ? "" : "    # " + secretKeys.size() + " Spark setting(s) whose keys look secret are left out;"
                        + " the job applies them from its Lakeshift configuration\n")
                + "    LakeshiftSparkSubmitOperator(\n"
                + "        task_id=\"lakeshift_batch_run\",\n"
                + "        conn_id=" + Python.str(options.sparkConnId()) + ",\n"
                + "        application=" + Python.str(options.sparkApplication()) + ",\n"
                + "        java_class=" + Python.str(options.sparkMainClass()) + ",\n"
                + "        name=" + Python.str("lakeshift-batch-" + pipeline.name()) + ",\n"
                + "        application_args=" + Python.list(options.jobArgs(pipeline.name())) + ",\n"
                + "        conf=" + Python.dict(conf) + ",\n"
                + "    )\n";
    }

    private static String description(PipelineConfig p) {
        return "Lakeshift batch job of pipeline " + p.name() + ": " + p.table() + " -> " + p.target();
    }
}
