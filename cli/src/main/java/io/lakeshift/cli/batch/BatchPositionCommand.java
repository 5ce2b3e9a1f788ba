package io.lakeshift.cli.batch;

import io.lakeshift.batch.BatchPositions;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.runtime.CommonOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lakeshift batch position --source NAME}: the source's position now, for a batch job to record. */
@Command(name = "position", mixinStandardHelpOptions = true,
        description = {"Prints a source's position now (lsn=16/B374D848), for a batch job Lakeshift did not",
            "write to record on its output with 'lakeshift batch mark-position'. Run it just before",
            "the job reads the source:",
            "  POS=$(lakeshift batch position --source erp)",
            "  <the legacy job>",
            "  lakeshift batch mark-position erp.invoices --position \"$POS\""})
public final class BatchPositionCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", paramLabel = "NAME", description = "The source (default: the only one configured).")
    String source;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        SourceConfig selected = source != null
                ? config.source(source).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                        "no source '" + source + "'; sources are " + config.sources().stream().map(SourceConfig::name).toList()))
                : onlySource(config);
        PrintWriter out = spec.commandLine().getOut();
        out.println(BatchPositions.current(selected));
        out.flush();
        return 0;
    }

    private SourceConfig onlySource(LakeshiftConfig config) {
        if (config.sources().size() != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name the source with --source; sources are "
                    + config.sources().stream().map(SourceConfig::name).toList());
        }
        return config.sources().get(0);
    }
}
