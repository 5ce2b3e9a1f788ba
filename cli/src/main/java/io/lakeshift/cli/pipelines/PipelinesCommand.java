package io.lakeshift.cli.pipelines;

import picocli.CommandLine.Command;

/** {@code lakeshift pipelines}: run and watch the streaming apply jobs. */
@Command(name = "pipelines", mixinStandardHelpOptions = true,
        description = "Run the streaming apply job of a source, and show every pipeline's state and metrics.",
        subcommands = {PipelinesRunCommand.class, PipelinesStatusCommand.class})
public final class PipelinesCommand {
}
