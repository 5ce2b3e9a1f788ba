package io.lakeshift.cli.ingest;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.cli.TextTable;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.json.Json;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.ReportedState;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.ingestion.IngestionService;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeshift sources status}: what each captured source last reported, from the data folder. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {
            "Shows each CDC source as the ingestion service last reported it: state",
            "(snapshotting, streaming, failed, stopped), events captured, dead letters,",
            "replication lag (PostgreSQL: WAL bytes retained by the slot; MySQL/MariaDB:",
            "binlog bytes not yet read), seconds behind the source at the newest change,",
            "and the last source position. A source whose process is gone shows as",
            "not running."})
public final class SourcesStatusCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this source.")
    String name;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json.")
    String format = "table";

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        List<ComponentStatus> all = new StatusFiles(config.dataDir(), IngestionService.STATUS_GROUP).readAll().stream()
                .filter(s -> name == null || s.name().equals(name)).toList();
        if (format.equals("json")) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(all));
            return 0;
        }
        if (!format.equals("table")) {
            throw new IllegalArgumentException("--format must be table or json, not " + format);
        }
        if (all.isEmpty()) {
            out.println(name == null
                    ? "no source status under " + config.dataDir().resolve("status/sources") + ": is 'lakeshift ingest' running"
                            + " with this --data-dir?"
                    : "no status for source '" + name + "' under " + config.dataDir().resolve("status/sources"));
            return name == null ? 0 : 1;
        }
        long now = System.currentTimeMillis();
        TextTable table = new TextTable("SOURCE", "KIND", "STATE", "EVENTS", "DLQ", "LAG", "BEHIND", "POSITION", "UPDATED");
        for (ComponentStatus s : all) {
            table.row(s.name(), s.kind(), ReportedState.source(s, now), String.format(Locale.ROOT, "%,d", counter(s, "events")),
                    String.format(Locale.ROOT, "%,d", counter(s, "deadLetters")), bytes(counter(s, "lagBytes")),
                    behind(counter(s, "behindMs")), s.details().getOrDefault("lastPosition", "-"),
                    ago(now - s.updatedAtMs()));
        }
        table.print(out);
        for (ComponentStatus s : all) {
            String lag = s.details().get("lag");
            if (lag != null) {
                out.println(s.name() + ": lag: " + lag);
            }
            String error = s.details().get("error");
            if (error != null) {
                out.println(s.name() + ": error: " + error);
            }
            String notices = s.details().get("notices");
            if (notices != null) {
                notices.lines().forEach(n -> out.println(s.name() + ": " + n));
            }
        }
        return 0;
    }

    private static long counter(ComponentStatus s, String key) {
        return s.counters().getOrDefault(key, -1L);
    }

    static String bytes(long n) {
        if (n < 0) {
            return "-";
        }
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    static String behind(long ms) {
        return ms < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String ago(long ms) {
        return ms < 0 ? "now" : Duration.ofMillis(ms).toSeconds() + " s ago (" + Instant.now().minusMillis(ms).toString().substring(11, 19) + "Z)";
    }
}
