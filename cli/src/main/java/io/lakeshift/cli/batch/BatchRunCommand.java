package io.lakeshift.cli.batch;

import io.lakeshift.batch.BatchJob;
import io.lakeshift.batch.BatchJobs;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.runtime.stack.LakeTableProvisioner;
import io.lakeshift.lakehouse.CatalogRuntime;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code lakeshift batch run <job> [--option value ...]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs one batch job in local Spark; options after JOB go to the job.",
            "  full-reload    reload a pipeline's table in one consistent read",
            "                 --pipeline NAME [--partitions N] [--partition-column COL]",
            "                 [--snapshot auto|slot|export] [--branch B]",
            "  daily-revenue  daily revenue per customer, incremental or full",
            "                 [--mode incremental|full] [--namespace NS] [--target NS.T]",
            "  maintenance    compact, rewrite deletes, expire, remove orphans, manifests",
            "                 [--table NS.T|all] [--target-file-size-mb N]",
            "                 [--retention-hours H] [--min-snapshots N] [--orphan-age-hours H]"},
        footer = {"The same jobs under spark-submit, main classes io.lakeshift.batch.FullReloadJob,",
            "DailyRevenueJob and MaintenanceJob, with the same arguments:",
            "  spark-submit --class io.lakeshift.batch.FullReloadJob JOBS_JAR \\",
            "      --config FILE --pipeline retail.orders"})
public final class BatchRunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "full-reload, daily-revenue or maintenance.")
    String job;

    @Unmatched
    List<String> jobArguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        BatchJob selected = BatchJobs.find(job).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "unknown job '" + job + "'; jobs are " + BatchJobs.all().stream().map(BatchJob::name).collect(Collectors.joining(", "))));
        JobArguments arguments = JobArguments.parse(jobArguments.toArray(String[]::new), selected.options());
        LakeshiftConfig config = common.load();
        String result;
        try (CatalogRuntime runtime = CatalogRuntime.start(config)) {
            if ("full-reload".equals(selected.name()) && arguments.option("pipeline", null) != null) {
                String name = arguments.option("pipeline", null);
                PipelineConfig pipeline = runtime.config().pipeline(name).orElseThrow(() -> new IllegalArgumentException(
                        "no pipeline '" + name + "'; pipelines are " + runtime.config().pipelines().stream()
                                .map(PipelineConfig::name).toList()));
                for (String created : LakeTableProvisioner.ensure(runtime.config(), List.of(pipeline))) {
                    spec.commandLine().getOut().println("created lake table " + created + " from its source's schema");
                }
            }
            SparkSession spark = BatchJobs.session(runtime.config(), "lakeshift-" + selected.name());
            try {
                result = selected.run(spark, runtime.config(), arguments);
            } finally {
                spark.stop();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(selected.name() + ": " + result);
        out.flush();
        return 0;
    }
}
