package io.lakeshift.streaming;

import java.util.ArrayList;
import java.util.List;

/**
 * Source-commit-to-lake-commit latencies of applied changes, weighted by how many changes had
 * each latency. Kept as (latency, count) pairs grouped per batch, so memory grows with batches,
 * not with rows.
 */
public final class FreshnessRecorder {

    private final List<long[]> samples = new ArrayList<>();
    private long total;

    synchronized void record(long latencyMs, long count) {
        samples.add(new long[] {Math.max(0, latencyMs), count});
        total += count;
    }

    /** The latency below which {@code quantile} of the changes were applied, or -1 with no data. */
    public synchronized long percentile(double quantile) {
        if (total == 0) {
            return -1;
        }
        List<long[]> sorted = new ArrayList<>(samples);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (long[] s : sorted) {
            seen += s[1];
            if (seen >= rank) {
                return s[0];
            }
        }
        return sorted.get(sorted.size() - 1)[0];
    }

    /** Forgets what was recorded, for example after a warm-up. */
    public synchronized void reset() {
        samples.clear();
        total = 0;
    }

    public synchronized long max() {
        return samples.stream().mapToLong(s -> s[0]).max().orElse(-1);
    }

    public synchronized long count() {
        return total;
    }
}
