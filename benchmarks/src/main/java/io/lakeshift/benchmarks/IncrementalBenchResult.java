package io.lakeshift.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code lakeshift bench incremental} run.
 *
 * @param orders rows in the orders table
 * @param changedOrders orders changed between the two paths
 * @param fullSeconds (a) the legacy path: full reload of every table, then the mart recomputed in full
 * @param incrementalSeconds (b) the incremental path: CDC catch-up, streaming apply (available-now), incremental mart
 * @param fullSteps seconds per step of (a)
 * @param incrementalSteps seconds per step of (b)
 * @param smallCommits commits made before the maintenance pass
 * @param filesBefore data and delete files before the maintenance pass
 * @param filesAfter data and delete files after it
 * @param maintenanceSeconds the maintenance pass
 * @param maintenanceSummary what it did
 * @param verification how the lake was checked against the source
 */
record IncrementalBenchResult(long orders, long changedOrders, double fullSeconds, double incrementalSeconds,
        List<String> fullSteps, List<String> incrementalSteps, int smallCommits, long filesBefore, long filesAfter,
        double maintenanceSeconds, String maintenanceSummary, String verification) {

    double ratio() {
        return fullSeconds <= 0 ? 0 : incrementalSeconds / fullSeconds;
    }

    /** The last line of the command's output, exactly as documented. */
    String lastLine() {
        return String.format(Locale.ROOT, "bench incremental: full_s=%.1f incremental_s=%.1f ratio=%.3f files_before=%d files_after=%d",
                fullSeconds, incrementalSeconds, ratio(), filesBefore, filesAfter);
    }

    List<String> report(String command, String machine) {
        List<String> lines = new ArrayList<>();
        lines.add("# lakeshift bench incremental");
        lines.add("command: " + command);
        lines.add("machine: " + machine);
        lines.add(String.format(Locale.ROOT, "orders: %,d rows, %,d changed (%.2f%%)", orders, changedOrders, 100.0 * changedOrders / orders));
        lines.add(String.format(Locale.ROOT, "(a) legacy full reload + full mart: %.1f s", fullSeconds));
        fullSteps.forEach(s -> lines.add("    " + s));
        lines.add(String.format(Locale.ROOT, "(b) CDC + streaming available-now + incremental mart: %.1f s", incrementalSeconds));
        incrementalSteps.forEach(s -> lines.add("    " + s));
        lines.add(String.format(Locale.ROOT, "ratio (b)/(a): %.3f (bar: at most 0.100, %s)", ratio(), ratio() <= 0.1 ? "met" : "NOT met"));
        lines.add("verification: " + verification);
        lines.add(String.format(Locale.ROOT, "maintenance after %,d small streaming commits: %.1f s, data+delete files %,d -> %,d",
                smallCommits, maintenanceSeconds, filesBefore, filesAfter));
        lines.add("    " + maintenanceSummary);
        lines.add(lastLine());
        return lines;
    }
}
