package io.lakeshift.benchmarks;

import picocli.CommandLine.Command;

/** {@code lakeshift bench}: benchmarks, each writing its figures to a file under the data folder. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks on the embedded stack. Each prints its figures, writes them to",
            "<data-dir>/bench/<name>.txt, and ends with one summary line."},
        subcommands = {UpBenchCommand.class, ChaosBenchCommand.class, CdcBenchCommand.class, CsvBenchCommand.class, IncrementalBenchCommand.class, ReconcileBenchCommand.class,
            StreamBenchCommand.class})
public final class BenchCommand {
}
