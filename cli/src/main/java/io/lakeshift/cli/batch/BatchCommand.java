package io.lakeshift.cli.batch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lakeshift batch}: the batch jobs that stay on the old schedule, run locally. */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Runs Lakeshift's batch jobs in local Spark; the same main classes run",
            "under spark-submit:",
            "  lakeshift batch run full-reload --pipeline retail.orders",
            "  lakeshift batch run daily-revenue --mode incremental",
            "  lakeshift batch run maintenance --table all",
            "A batch job of a team's own records the source position it read at:",
            "  lakeshift batch position --source erp",
            "  lakeshift batch mark-position erp.invoices --position lsn=16/B374D848"},
        subcommands = {BatchRunCommand.class, BatchPositionCommand.class, BatchMarkPositionCommand.class,
            CommandLine.HelpCommand.class})
public final class BatchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
