package io.lakeshift.streaming;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one pipeline since its job started; read by status commands and the demo. */
public final class PipelineMetrics {

    private final String pipeline;
    private final AtomicLong recordsIn = new AtomicLong();
    private final AtomicLong rowsApplied = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile long lastBatchMs;
    private volatile long lastBatchRecords;
    private volatile long lastCommitMs;
    /** Records behind the newest in Kafka, by partition, as of the last trigger. */
    private final Map<Integer, Long> kafkaLag = new ConcurrentHashMap<>();
    /** Set when the job publishes metrics: the histogram of source commit to lake commit. */
    private volatile Timer freshness;
    /** This pipeline's freshness over the last five minutes, for its status and the console. */
    private final FreshnessRecorder window = new FreshnessRecorder();
    /** How the last batch reached the current-state table: equality upsert, or MERGE and why. */
    private volatile String applyPath;

    PipelineMetrics(String pipeline) {
        this.pipeline = pipeline;
    }

    void recordBatch(long in, long applied, long dead, long durationMs, long commitMs) {
        recordsIn.addAndGet(in);
        rowsApplied.addAndGet(applied);
        deadLetters.addAndGet(dead);
        batches.incrementAndGet();
        lastBatchMs = durationMs;
        lastBatchRecords = in;
        if (applied > 0) {
            lastCommitMs = commitMs;
        }
    }

    void publishFreshnessTo(Timer timer) {
        this.freshness = timer;
    }

    /** {@code count} changes reached the lake {@code latencyMs} after their source commit. */
    void recordFreshness(long latencyMs, long count) {
        window.record(latencyMs, count);
        Timer timer = freshness;
        if (timer == null) {
            return;
        }
        Duration latency = Duration.ofMillis(Math.max(0, latencyMs));
        for (long i = 0; i < count; i++) { // a histogram counts changes, not batches
            timer.record(latency);
        }
    }

    void applyPath(String described) {
        this.applyPath = described;
    }

    /** How the last batch with changes reached the table ("equality upsert", or "MERGE (why)"); null before one. */
    public String applyPath() {
        return applyPath;
    }

    /** This pipeline's source-to-lake latency over the last five minutes. */
    public FreshnessRecorder freshness() {
        return window;
    }

    /** @return the partitions not seen before */
    Set<Integer> recordKafkaLag(Map<Integer, Long> lag) {
        Set<Integer> added = new HashSet<>(lag.keySet());
        added.removeAll(kafkaLag.keySet());
        kafkaLag.putAll(lag);
        return added;
    }

    /** Records of {@code partition} in Kafka not read yet as of the last trigger; NaN before the first. */
    public double kafkaLag(int partition) {
        Long lag = kafkaLag.get(partition);
        return lag == null ? Double.NaN : lag;
    }

    public String pipeline() {
        return pipeline;
    }

    /** Kafka records read; equals rows applied (after dedupe, counted before) plus dead letters. */
    public long recordsIn() {
        return recordsIn.get();
    }

    /** Changes that passed validation and went into the MERGE (before per-key dedupe). */
    public long rowsApplied() {
        return rowsApplied.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    public long batches() {
        return batches.get();
    }

    public long lastBatchMs() {
        return lastBatchMs;
    }

    /** Records per second of the last batch, over that batch's duration. */
    public double inputRowsPerSecond() {
        long ms = lastBatchMs;
        return ms <= 0 ? 0 : lastBatchRecords * 1000.0 / ms;
    }

    public long lastCommitMs() {
        return lastCommitMs;
    }
}
