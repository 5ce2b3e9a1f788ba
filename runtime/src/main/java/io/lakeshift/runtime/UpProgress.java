package io.lakeshift.runtime;

import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.ingestion.SourceStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code up} tells the operator about its sources and pipelines, read from the status files the
 * parts write: a line when a source or pipeline changes state (with its error when it fails), the
 * snapshot's progress while one runs, and a line per source and pipeline every
 * {@link #SUMMARY_EVERY_MS} or when asked.
 */
final class UpProgress {

    static final long SUMMARY_EVERY_MS = 30_000;
    private static final long SNAPSHOT_EVERY_MS = 5_000;

    private final StatusFiles sources;
    private final StatusFiles pipelines;
    private final PrintStream out;
    private final long startedAt;
    private final Map<String, String> states = new HashMap<>();
    private long lastSnapshotLine;
    private long lastSummary;
    private boolean streamingAnnounced;

    UpProgress(Path dataDir, PrintStream out, long startedAt) {
        this.sources = new StatusFiles(dataDir, "sources");
        this.pipelines = new StatusFiles(dataDir, "pipelines");
        this.out = out;
        this.startedAt = startedAt;
    }

    /** One round: reports changes since the last one. */
    void report(long now) {
        List<ComponentStatus> src = fresh(sources.readAll());
        List<ComponentStatus> pipes = fresh(pipelines.readAll());
        for (ComponentStatus s : src) {
            changed("source", s);
        }
        for (ComponentStatus p : pipes) {
            changed("pipeline", p);
        }
        boolean snapshotting = src.stream().anyMatch(s -> "SNAPSHOTTING".equals(s.state()));
        if (snapshotting && now - lastSnapshotLine >= SNAPSHOT_EVERY_MS) {
            lastSnapshotLine = now;
            for (ComponentStatus s : src) {
                if ("SNAPSHOTTING".equals(s.state())) {
                    long read = s.counters().getOrDefault("snapshotRows", s.counters().getOrDefault("events", 0L));
                    long expected = s.counters().getOrDefault("snapshotRowsExpected", -1L);
                    line(String.format(Locale.ROOT, "source %s: snapshot running, %,d rows read%s; lake: %,d rows applied",
                            s.name(), read, expected > 0 ? String.format(Locale.ROOT, " of about %,d (%d%%)", expected,
                                    (long) (100 * SourceStatus.snapshotProgress(read, expected))) : "", applied(pipes)));
                }
            }
        }
        boolean allStreaming = !src.isEmpty() && src.stream().allMatch(s -> streaming(s.state()))
                && pipes.stream().allMatch(p -> "RUNNING".equals(p.state()));
        if (allStreaming && !streamingAnnounced) {
            streamingAnnounced = true;
            summary(src, pipes, now);
        } else if (now - lastSummary >= SUMMARY_EVERY_MS && !src.isEmpty()) {
            summary(src, pipes, now);
        }
    }

    private void summary(List<ComponentStatus> src, List<ComponentStatus> pipes, long now) {
        lastSummary = now;
        for (ComponentStatus s : src) {
            line(String.format(Locale.ROOT, "source %-20s %-12s %,d events, %,d dead letters%s", s.name(),
                    s.state().toLowerCase(Locale.ROOT), s.counters().getOrDefault("events", 0L),
                    s.counters().getOrDefault("deadLetters", 0L), lag(s)));
        }
        for (ComponentStatus p : pipes) {
            line(String.format(Locale.ROOT, "pipeline %-18s %-12s %,d applied, %,d dead letters, freshness p50 %s ms", p.name(),
                    p.state().toLowerCase(Locale.ROOT), p.counters().getOrDefault("rowsApplied", 0L),
                    p.counters().getOrDefault("deadLetters", 0L), p.details().getOrDefault("freshnessP50Ms", "-")));
        }
    }

    private static String lag(ComponentStatus s) {
        Long behind = s.counters().get("behindMs");
        return behind == null || behind <= 0 ? "" : String.format(Locale.ROOT, ", %,d ms behind", behind);
    }

    private void changed(String what, ComponentStatus c) {
        String key = what + ":" + c.name();
        String previous = states.put(key, c.state());
        if (!c.state().equals(previous)) {
            String error = c.details().get("lastError");
            if (error == null) {
                error = c.details().get("error");
            }
            line(what + " " + c.name() + " is " + c.state().toLowerCase(Locale.ROOT)
                    + (error != null && !error.isBlank() && !streaming(c.state()) ? ": " + error : ""));
        }
    }

    private static boolean streaming(String state) {
        return "STREAMING".equals(state) || "RUNNING".equals(state);
    }

    private static long applied(List<ComponentStatus> pipes) {
        return pipes.stream().mapToLong(p -> p.counters().getOrDefault("rowsApplied", 0L)).sum();
    }

    /** Status files written by processes of this run (not left over from an earlier one). */
    private List<ComponentStatus> fresh(List<ComponentStatus> all) {
        return all.stream().filter(s -> s.updatedAtMs() >= startedAt).toList();
    }

    void line(String message) {
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.currentTimeMillis() - startedAt) / 1000.0, message);
        out.flush();
    }
}
