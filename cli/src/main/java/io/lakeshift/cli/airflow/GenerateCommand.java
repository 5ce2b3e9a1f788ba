package io.lakeshift.cli.airflow;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.orchestration.dags.DagGenerator;
import io.lakeshift.orchestration.dags.DagOperator;
import io.lakeshift.orchestration.dags.DagOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(name = "generate",
        description = "Write one Airflow DAG file per pipeline that names a dag (pipelines[].dag), running the"
                + " pipeline's full reload ('lakeshift batch run full-reload --pipeline <pipeline>') on its schedule"
                + " (default @daily). Needs no running Airflow: copy the files into its DAG folder. Secret Spark"
                + " settings are left out of the files: the job reads them from its configuration on the worker.")
final class GenerateCommand implements Runnable {

    @Mixin
    CommonOptions common;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write the .py files.")
    Path out;

    @Option(names = "--operator", paramLabel = "bash|spark-submit", defaultValue = "bash",
            converter = OperatorConverter.class,
            description = "BashOperator running the lakeshift command, or SparkSubmitOperator submitting the batch jobs"
                    + " jar (mvn -Pjobs-jar -pl batch-jobs -am package) with main class io.lakeshift.batch.FullReloadJob"
                    + " (default: ${DEFAULT-VALUE}).")
    DagOperator operator;

    @Option(names = "--worker-config", paramLabel = "FILE",
            description = "The Lakeshift config file on the Airflow workers, passed to the job as --config.")
    String workerConfig;

    @Option(names = "--lakeshift-command", paramLabel = "PATH", defaultValue = DagOptions.DEFAULT_COMMAND,
            description = "The lakeshift executable on the workers, for bash (default: ${DEFAULT-VALUE}).")
    String lakeshiftCommand;

    @Option(names = "--spark-application", paramLabel = "JAR", defaultValue = DagOptions.DEFAULT_SPARK_APPLICATION,
            description = "The batch jobs jar (lakeshift-batch-jobs-<version>-jobs.jar) as the workers see it, for"
                    + " spark-submit (default: ${DEFAULT-VALUE}).")
    String sparkApplication;

    @Option(names = "--spark-conn-id", paramLabel = "ID", defaultValue = DagOptions.DEFAULT_CONN_ID,
            description = "The Airflow connection naming the Spark master, for spark-submit (default: ${DEFAULT-VALUE}).")
    String sparkConnId;

    @Override
    public void run() {
        LakeshiftConfig config = common.load();
        DagOptions options = DagOptions.of(operator)
                .withWorkerConfig(workerConfig)
                .withLakeshiftCommand(lakeshiftCommand)
                .withSparkApplication(sparkApplication)
                .withSparkConnId(sparkConnId);
        List<Path> files = new DagGenerator(options).generate(config, out);
        PrintWriter printer = spec.commandLine().getOut();
        if (files.isEmpty()) {
            printer.println("No pipeline names a DAG: set pipelines[N].dag (and pipelines[N].schedule) in the config file.");
        } else {
            printer.println("Wrote " + files.size() + " DAG file" + (files.size() == 1 ? "" : "s") + " (" + operator.cliName()
                    + "):");
            files.forEach(file -> printer.println("  " + file));
        }
        printer.flush();
    }

    static final class OperatorConverter implements ITypeConverter<DagOperator> {
        @Override
        public DagOperator convert(String value) {
            try {
                return DagOperator.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
