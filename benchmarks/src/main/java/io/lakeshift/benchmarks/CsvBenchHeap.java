package io.lakeshift.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the used heap every few milliseconds on a daemon thread and keeps the peak. */
final class CsvBenchHeap implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    CsvBenchHeap(long intervalMs) {
        sampler = new Thread(() -> {
            while (running) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(intervalMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "lakeshift-bench-heap");
        sampler.setDaemon(true);
        sampler.start();
    }

    long peakMib() {
        return peak.get() / (1024 * 1024);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join(1_000);
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }
}
