package io.lakeshift.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code lakeshift bench incremental} run: both paths at a smaller and a larger
 * table with the same changes, then the maintenance pass.
 *
 * @param small the smaller table (1,000,000 orders by default)
 * @param large the larger table (10,000,000 orders by default)
 * @param maintenance the maintenance pass after many small commits
 */
record IncrementalBenchResult(Size small, Size large, Maintenance maintenance) {

    /**
     * Both paths at one table size.
     *
     * @param orders rows in the orders table
     * @param changedOrders orders changed between the two paths
     * @param fullSeconds (a) the legacy path: full reload of every table, then the mart recomputed in full
     * @param incrementalSeconds (b) the incremental path: CDC catch-up, streaming apply (available-now), incremental mart
     * @param fullSteps seconds per step of (a)
     * @param incrementalSteps seconds per step of (b)
     * @param verification how the lake was checked against the source
     */
    record Size(long orders, long changedOrders, double fullSeconds, double incrementalSeconds, List<String> fullSteps,
            List<String> incrementalSteps, String verification) {

        double ratio() {
            return fullSeconds <= 0 ? 0 : incrementalSeconds / fullSeconds;
        }
    }

    /**
     * @param smallCommits commits made before the maintenance pass
     * @param filesBefore data and delete files before the maintenance pass
     * @param filesAfter data and delete files after it
     * @param seconds the maintenance pass
     * @param summary what it did
     */
    record Maintenance(int smallCommits, long filesBefore, long filesAfter, double seconds, String summary) {
    }

    /** How the incremental path's time grew from the smaller table to the larger one. */
    double growth() {
        return small.incrementalSeconds() <= 0 ? 0 : large.incrementalSeconds() / small.incrementalSeconds();
    }

    /** The last line of the command's output, exactly as documented. */
    String lastLine() {
        return String.format(Locale.ROOT, "bench incremental: full_s_1m=%.1f incremental_s_1m=%.1f full_s_10m=%.1f"
                + " incremental_s_10m=%.1f ratio_10m=%.3f growth=%.3f files_before=%d files_after=%d",
                small.fullSeconds(), small.incrementalSeconds(), large.fullSeconds(), large.incrementalSeconds(), large.ratio(),
                growth(), maintenance.filesBefore(), maintenance.filesAfter());
    }

    List<String> report(String command, String machine) {
        List<String> lines = new ArrayList<>();
        lines.add("# lakeshift bench incremental");
        lines.add("command: " + command);
        lines.add("machine: " + machine);
        for (Size s : List.of(small, large)) {
            lines.add(String.format(Locale.ROOT, "orders: %,d rows, %,d changed (%.2f%%)", s.orders(), s.changedOrders(),
                    100.0 * s.changedOrders() / s.orders()));
            lines.add(String.format(Locale.ROOT, "  (a) legacy full reload + full mart: %.1f s", s.fullSeconds()));
            s.fullSteps().forEach(step -> lines.add("      " + step));
            lines.add(String.format(Locale.ROOT, "  (b) CDC + streaming available-now + incremental mart: %.1f s", s.incrementalSeconds()));
            s.incrementalSteps().forEach(step -> lines.add("      " + step));
            lines.add(String.format(Locale.ROOT, "  ratio (b)/(a): %.3f", s.ratio()));
            lines.add("  verification: " + s.verification());
        }
        lines.add(String.format(Locale.ROOT, "ratio at %,d orders: %.3f (bar: at most 0.100, %s)", large.orders(), large.ratio(),
                large.ratio() <= 0.1 ? "met" : "NOT met"));
        lines.add(String.format(Locale.ROOT, "growth of (b) from %,d to %,d orders: %.3f (bar: at most 1.300, %s)", small.orders(),
                large.orders(), growth(), growth() <= 1.3 ? "met" : "NOT met"));
        lines.add(String.format(Locale.ROOT, "maintenance after %,d small streaming commits: %.1f s, data+delete files %,d -> %,d",
                maintenance.smallCommits(), maintenance.seconds(), maintenance.filesBefore(), maintenance.filesAfter()));
        lines.add("    " + maintenance.summary());
        lines.add(lastLine());
        return lines;
    }
}
