package io.lakeshift.cli.ingest;

import io.lakeshift.cli.routes.SourcesListCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lakeshift sources}: the CDC sources the ingestion service captures. */
@Command(name = "sources", mixinStandardHelpOptions = true,
        description = "Status of the captured sources, and dropping one (slot, publication, offsets).",
        subcommands = {SourcesListCommand.class, SourcesStatusCommand.class, SourcesDropCommand.class, CommandLine.HelpCommand.class})
public final class SourcesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
