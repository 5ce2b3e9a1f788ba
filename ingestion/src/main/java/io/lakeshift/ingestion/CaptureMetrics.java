package io.lakeshift.ingestion;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A CDC source's figures as Prometheus metrics, labelled {@code source}: the same values its status
 * file holds ({@code lakeshift sources status}), read when scraped.
 */
final class CaptureMetrics {

    private CaptureMetrics() {
    }

    static void bind(MeterRegistry registry, CdcSource source) {
        String name = source.name();
        FunctionCounter.builder("lakeshift.capture.events", source, s -> s.status().eventsCaptured()).tag("source", name)
                .description("change events captured and acknowledged by Kafka").register(registry);
        FunctionCounter.builder("lakeshift.capture.dead.letters", source, s -> s.status().deadLetters()).tag("source", name)
                .description("events sent to a dead-letter topic").register(registry);
        FunctionCounter.builder("lakeshift.capture.snapshot.rows", source, s -> s.status().snapshotRows()).tag("source", name)
                .description("rows read by snapshots").register(registry);
        Gauge.builder("lakeshift.capture.snapshot.rows.expected", source, s -> orNaN(s.status().snapshotRowsExpected()))
                .tag("source", name).description("the source's estimate of the rows the snapshot reads; NaN before a snapshot")
                .register(registry);
        Gauge.builder("lakeshift.capture.snapshot.progress.ratio", source, s -> s.status().snapshotProgress()).tag("source", name)
                .description("share of the snapshot read, 0 to 1; NaN before a snapshot").register(registry);
        Gauge.builder("lakeshift.capture.behind.seconds", source, s -> seconds(s.status().behindMs())).tag("source", name)
                .description("source commit of the newest captured change to now; NaN before the first").register(registry);
        Gauge.builder("lakeshift.capture.lag.bytes", source, s -> orNaN(s.status().lagBytes())).tag("source", name)
                .description("log the source retains for this capture (PostgreSQL slot, MySQL binlog); NaN until measured")
                .register(registry);
        for (SourceState state : SourceState.values()) {
            Gauge.builder("lakeshift.capture.state", source, s -> s.status().state() == state ? 1 : 0)
                    .tag("source", name).tag("state", state.name())
                    .description("1 for the source's current state").register(registry);
        }
    }

    private static double seconds(long ms) {
        return ms < 0 ? Double.NaN : ms / 1000.0;
    }

    private static double orNaN(long value) {
        return value < 0 ? Double.NaN : value;
    }
}
