package io.lakeshift.cli.airflow;

import io.lakeshift.cli.CommonOptions;
import io.lakeshift.orchestration.airflow.DagInfo;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pause",
        description = "Pause a DAG: Airflow's scheduler stops starting runs of it (running ones finish).")
final class PauseCommand implements Runnable {

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
        DagInfo dag = AirflowAccess.client(common.load()).pause(dagId);
        PrintWriter out = spec.commandLine().getOut();
        out.println("DAG " + dag.dagId() + " is " + (dag.paused() ? "paused" : "NOT paused (Airflow did not change it)"));
        out.flush();
    }
}
