package io.lakeshift.cli.routes;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.cli.TextTable;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lakeshift sources list}: every declared source, its kind and what its process last reported. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Every declared source with its kind, table(s) and state, as the process running it last",
            "reported under <data-dir>/status/sources/. A source nobody runs, whose process is gone or whose",
            "report is older than a minute shows as 'not running'."})
public final class SourcesListCommand implements Callable<Integer> {

    /** A report older than this comes from a process that stopped reporting. */
    static final long STALE_MS = 60_000;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LakeshiftConfig config = common.load();
        Map<String, ComponentStatus> reported = new StatusFiles(config.dataDir(), "sources").readAll().stream()
                .collect(Collectors.toMap(ComponentStatus::name, Function.identity(), (a, b) -> a));
        long now = System.currentTimeMillis();
        TextTable table = new TextTable("SOURCE", "KIND", "TABLES", "STATE", "UPDATED", "COUNTS", "LAST_POSITION");
        for (SourceConfig source : config.sources()) {
            ComponentStatus s = reported.get(source.name());
            String tables = String.join(",", source.tables());
            if (!running(s, now)) {
                table.row(source.name(), source.kind(), tables, "not running",
                        s == null ? null : Instant.ofEpochMilli(s.updatedAtMs()), null, s == null ? null : s.details().get("lastPosition"));
                continue;
            }
            String counts = new TreeMap<>(s.counters()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            table.row(source.name(), source.kind(), tables, s.state(), Instant.ofEpochMilli(s.updatedAtMs()), counts,
                    s.details().get("lastPosition"));
        }
        PrintWriter out = spec.commandLine().getOut();
        table.print(out);
        config.sources().stream().map(c -> reported.get(c.name()))
                .filter(s -> running(s, now) && s.details().containsKey("lastError"))
                .forEach(s -> out.println(s.name() + ": last error: " + s.details().get("lastError")));
        out.flush();
        return 0;
    }

    /** Reported, by a live process, recently, and not as stopped. */
    static boolean running(ComponentStatus s, long now) {
        if (s == null || "STOPPED".equals(s.state()) || now - s.updatedAtMs() > STALE_MS) {
            return false;
        }
        return s.pid() <= 0 || ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
    }
}
