package io.lakeshift.cli.airflow;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.cli.TextTable;
import io.lakeshift.orchestration.airflow.DagRun;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "runs",
        description = "List the most recent runs of a DAG, newest first.")
final class RunsCommand implements Runnable {

    @Mixin
    CommonOptions common;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG id.")
    String dagId;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "How many runs to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public void run() {
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be 1 or more, got " + limit);
        }
        List<DagRun> runs = AirflowAccess.client(common.load()).listDagRuns(dagId, limit);
        PrintWriter out = spec.commandLine().getOut();
        if (runs.isEmpty()) {
            out.println("DAG " + dagId + " has no runs.");
            out.flush();
            return;
        }
        TextTable table = new TextTable("RUN_ID", "STATE", "TYPE", "LOGICAL_DATE", "STARTED", "ENDED");
        for (DagRun run : runs) {
            table.row(run.runId(), run.state().wireName(), run.runType(), run.logicalDate(), run.startDate(), run.endDate());
        }
        table.print(out);
    }
}
