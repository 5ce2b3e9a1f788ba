package io.lakeshift.cli.airflow;

import picocli.CommandLine.Command;

@Command(name = "pause",
        description = "Pause a DAG: Airflow's scheduler stops starting runs of it (running ones finish).")
final class PauseCommand extends PauseStateCommand {

    @Override
    boolean pause() {
        return true;
    }
}
