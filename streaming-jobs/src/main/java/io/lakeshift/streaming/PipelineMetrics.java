package io.lakeshift.streaming;

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
