package io.lakeshift.cli.airflow;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lakeshift airflow ...}: the Airflow that runs the legacy batch jobs. */
@Command(name = "airflow",
        description = "Talk to the Airflow that runs the legacy batch jobs (airflow.* in the configuration),"
                + " and generate DAGs that run Lakeshift's batch jobs.",
        subcommands = {
            DagsCommand.class,
            TriggerCommand.class,
            PauseCommand.class,
            UnpauseCommand.class,
            RunsCommand.class,
            GenerateCommand.class,
        })
public final class AirflowCommand implements Runnable {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
