package io.lakeshift.cli.airflow;

import picocli.CommandLine.Command;

@Command(name = "unpause",
        description = "Unpause a DAG: Airflow's scheduler starts runs of it again (the way back from a migration).")
final class UnpauseCommand extends PauseStateCommand {

    @Override
    boolean pause() {
        return false;
    }
}
