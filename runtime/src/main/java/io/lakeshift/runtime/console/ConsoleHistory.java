package io.lakeshift.runtime.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's time series for the last hour: each pipeline's freshness and throughput, each
 * source's event rate, one point per sample. Throughput is the change in a counter between two
 * samples, so a restarted process (its counters back to zero) gives no point instead of a negative one.
 */
public final class ConsoleHistory {

    /** How far back the charts reach. */
    static final long WINDOW_MS = 60 * 60 * 1000L;

    /**
     * One sample of a series.
     *
     * @param atMs when it was taken, epoch millis
     * @param perSecond changes applied (pipelines) or events captured (sources) per second since the previous sample
     * @param p50Ms freshness median (pipelines only; null otherwise or without data)
     * @param p99Ms freshness 99th percentile (pipelines only)
     */
    public record Point(long atMs, Double perSecond, Long p50Ms, Long p99Ms) {
    }

    private final Map<String, Series> pipelines = new LinkedHashMap<>();
    private final Map<String, Series> sources = new LinkedHashMap<>();

    /** Takes a sample of what the views show now; returns the event rate per source it computed. */
    synchronized Map<String, Double> sample(long now, List<SourceView> sourceViews, List<PipelineView> pipelineViews) {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (SourceView s : sourceViews) {
            Double rate = sources.computeIfAbsent(s.name(), n -> new Series()).add(now, s.updatedAtMs(), s.events(), null, null);
            rates.put(s.name(), rate);
        }
        for (PipelineView p : pipelineViews) {
            if (p.applied() != null) {
                pipelines.computeIfAbsent(p.name(), n -> new Series()).add(now, p.updatedAtMs(), p.applied(), p.freshnessP50Ms(),
                        p.freshnessP99Ms());
            }
        }
        return rates;
    }

    /** The last event rate computed for {@code source}, or null before two samples. */
    synchronized Double rate(String source) {
        Series s = sources.get(source);
        return s == null ? null : s.lastRate;
    }

    /** Every series: {@code {"pipelines": {name: [points]}, "sources": {name: [points]}}}. */
    synchronized Map<String, Map<String, List<Point>>> snapshot() {
        Map<String, Map<String, List<Point>>> all = new LinkedHashMap<>();
        all.put("pipelines", copy(pipelines));
        all.put("sources", copy(sources));
        return all;
    }

    private static Map<String, List<Point>> copy(Map<String, Series> series) {
        Map<String, List<Point>> out = new LinkedHashMap<>();
        series.forEach((name, s) -> out.put(name, new ArrayList<>(s.points)));
        return out;
    }

    private static final class Series {
        final Deque<Point> points = new ArrayDeque<>();
        long lastReportMs = -1;
        long lastCount = -1;
        Double lastRate;

        /** Adds a point when the process reported something new since the last sample; returns the current rate. */
        Double add(long now, long reportedAtMs, long count, Long p50, Long p99) {
            while (!points.isEmpty() && points.peekFirst().atMs() < now - WINDOW_MS) {
                points.removeFirst();
            }
            if (reportedAtMs == lastReportMs) {
                return lastRate; // nothing new: the process has not reported since
            }
            Double rate = null;
            if (lastCount >= 0 && count >= lastCount && reportedAtMs > lastReportMs) {
                rate = (count - lastCount) * 1000.0 / (reportedAtMs - lastReportMs);
            }
            lastReportMs = reportedAtMs;
            lastCount = count;
            lastRate = rate;
            points.addLast(new Point(reportedAtMs, rate, p50, p99));
            return rate;
        }
    }
}
