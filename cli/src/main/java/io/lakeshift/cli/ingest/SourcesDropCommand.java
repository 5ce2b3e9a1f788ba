package io.lakeshift.cli.ingest;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.ReportedState;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.ingestion.IngestionService;
import io.lakeshift.ingestion.SourceAdmin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeshift sources drop NAME}: removes what a source owns, after a confirmation. */
@Command(name = "drop", mixinStandardHelpOptions = true,
        description = {
            "Removes a CDC source's replication slot and publication (PostgreSQL keeps",
            "WAL for a slot until it is dropped), its stored offsets and schema history,",
            "and its status. The next 'lakeshift ingest' starts this source with a new",
            "snapshot. Asks for the source name as confirmation unless --yes. Refuses",
            "while the source is being captured."})
public final class SourcesDropCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "NAME", description = "The source to drop.")
    String name;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        PrintStream out = System.out;
        SourceConfig source = config.source(name).orElseThrow(() -> new IllegalArgumentException("no source '" + name
                + "' in the configuration; sources: " + config.sources().stream().map(SourceConfig::name).toList()));
        if (!source.cdc()) {
            throw new IllegalArgumentException("source '" + name + "' is of kind " + source.kind() + ": it owns no replication"
                    + " slot or offsets to drop");
        }
        long now = System.currentTimeMillis();
        for (ComponentStatus s : new StatusFiles(config.dataDir(), IngestionService.STATUS_GROUP).readAll()) {
            if (s.name().equals(name) && !ReportedState.source(s, now).startsWith("not running")
                    && !List.of("STOPPED", "FAILED").contains(s.state())) {
                throw new IllegalStateException("source '" + name + "' is being captured by process " + s.pid()
                        + ": stop 'lakeshift ingest' first");
            }
        }
        out.println("sources drop: this removes, for source '" + name + "':");
        SourceAdmin.describeDrop(source, config.dataDir()).forEach(w -> out.println("  - " + w));
        out.println("The next capture of '" + name + "' starts with a new snapshot.");
        if (!yes) {
            out.print("Type the source name to confirm: ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().equals(name)) {
                out.println("sources drop: not confirmed, nothing removed");
                return 1;
            }
        }
        List<String> removed = SourceAdmin.drop(source, config.dataDir());
        if (removed.isEmpty()) {
            out.println("sources drop: nothing to remove for '" + name + "'");
        } else {
            removed.forEach(r -> out.println("sources drop: removed " + r));
        }
        return 0;
    }
}
