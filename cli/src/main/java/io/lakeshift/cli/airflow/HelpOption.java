package io.lakeshift.cli.airflow;

import picocli.CommandLine.Option;

/** {@code -h/--help} alone: the version belongs to the top-level command. */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
