package io.lakeshift.cli.catalog;

import picocli.CommandLine.Command;

/** {@code lakeshift catalog}: the lake's catalog as other engines see it. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "The lake's Iceberg catalog as other engines (Trino, Spark, PyIceberg) reach it.",
        subcommands = {TrinoCatalogCommand.class})
public final class CatalogCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
