package io.lakeshift.cli.airflow;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.orchestration.airflow.AirflowClient;
import io.lakeshift.orchestration.airflow.DagInfo;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Pauses or unpauses one DAG and says whether Airflow now has it the way that was asked. */
abstract class PauseStateCommand implements Runnable {

    @Mixin
    CommonOptions common;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG id.")
    String dagId;

    /** True to pause, false to unpause. */
    abstract boolean pause();

    @Override
    public void run() {
        AirflowClient client = AirflowAccess.client(common.load());
        DagInfo dag = pause() ? client.pause(dagId) : client.unpause(dagId);
        String state = dag.paused() == pause()
                ? (pause() ? "paused" : "unpaused")
                : (dag.paused() ? "still paused" : "NOT paused") + " (Airflow did not change it)";
        PrintWriter out = spec.commandLine().getOut();
        out.println("DAG " + dag.dagId() + " is " + state);
        out.flush();
    }
}
