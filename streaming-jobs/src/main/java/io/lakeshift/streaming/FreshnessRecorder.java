package io.lakeshift.streaming;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Source-commit-to-lake-commit latencies of applied changes over a sliding window (the last five
 * minutes by default), weighted by how many changes had each latency. Kept as (time, latency,
 * count) entries grouped per batch and source commit time, dropped once older than the window: a
 * spike leaves the percentiles five minutes later, and memory follows the window, not the uptime.
 */
public final class FreshnessRecorder {

    /** The window status and metrics report over. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private final Deque<long[]> samples = new ArrayDeque<>();
    private final long windowMs;
    private final LongSupplier clock;
    private long total;

    public FreshnessRecorder() {
        this(WINDOW, System::currentTimeMillis);
    }

    FreshnessRecorder(Duration window, LongSupplier clock) {
        this.windowMs = window.toMillis();
        this.clock = clock;
    }

    synchronized void record(long latencyMs, long count) {
        long now = clock.getAsLong();
        expire(now);
        samples.addLast(new long[] {now, Math.max(0, latencyMs), count});
        total += count;
    }

    /** The latency below which {@code quantile} of the window's changes were applied, or -1 with no data. */
    public synchronized long percentile(double quantile) {
        expire(clock.getAsLong());
        if (total == 0) {
            return -1;
        }
        List<long[]> sorted = new ArrayList<>(samples);
        sorted.sort((a, b) -> Long.compare(a[1], b[1]));
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (long[] s : sorted) {
            seen += s[2];
            if (seen >= rank) {
                return s[1];
            }
        }
        return sorted.get(sorted.size() - 1)[1];
    }

    /** Forgets what was recorded, for example after a warm-up. */
    public synchronized void reset() {
        samples.clear();
        total = 0;
    }

    /** The highest latency of the window, or -1 with no data. */
    public synchronized long max() {
        expire(clock.getAsLong());
        return samples.stream().mapToLong(s -> s[1]).max().orElse(-1);
    }

    /** How many changes the window holds. */
    public synchronized long count() {
        expire(clock.getAsLong());
        return total;
    }

    private void expire(long now) {
        while (!samples.isEmpty() && samples.peekFirst()[0] <= now - windowMs) {
            total -= samples.removeFirst()[2];
        }
    }
}
