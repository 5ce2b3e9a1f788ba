package io.lakeshift.cli.airflow;

import io.lakeshift.cli.CommonOptions;
import io.lakeshift.orchestration.airflow.DagInfo;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "unpause",
        description = "Unpause a DAG: Airflow's scheduler starts runs of it again (the way back from a migration).")
final class UnpauseCommand implements Runnable {

    @Mixin
    CommonOptions common;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG id.")
    String dagId;

    @Override
    public void run() {
        DagInfo dag = AirflowAccess.client(common.load()).unpause(dagId);
        PrintWriter out = spec.commandLine().getOut();
        out.println("DAG " + dag.dagId() + " is " + (dag.paused() ? "still paused (Airflow did not change it)" : "unpaused"));
        out.flush();
    }
}
