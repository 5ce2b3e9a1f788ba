package io.lakeshift.cli.tables;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lakeshift tables}: the state of the lakehouse tables. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = {"The lakehouse tables: health (files, deletes, snapshots, last commit)",
            "and snapshots (for time travel).",
            "  lakeshift tables health",
            "  lakeshift tables health retail.orders",
            "  lakeshift tables snapshots retail.orders"},
        subcommands = {TablesHealthCommand.class, TablesSnapshotsCommand.class, CommandLine.HelpCommand.class})
public final class TablesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
