package io.lakeshift.cli.routes;

import picocli.CommandLine.Command;

/** {@code lakeshift routes}: the Camel routes that move file drops, polled tables and queues into Kafka. */
@Command(name = "routes", mixinStandardHelpOptions = true,
        description = {"Camel routes for the non-CDC sources (kind file, jdbc, jms): file drops, JDBC polling",
            "and JMS queues into Kafka, in the change envelope. 'lakeshift sources list' shows their state."},
        subcommands = {RoutesRunCommand.class})
public final class RoutesCommand {
}
