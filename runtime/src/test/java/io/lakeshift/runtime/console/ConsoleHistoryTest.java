package io.lakeshift.runtime.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleHistoryTest {

    @Test
    void ratesComeFromCounterDifferencesBetweenReportsAndRestartsGiveNoNegativeRate() {
        ConsoleHistory history = new ConsoleHistory();
        long t = 10_000_000;
        history.sample(t, List.of(source(100, t)), List.of(pipeline(50, t, 800L)));
        assertThat(history.rate("erp")).isNull();
        history.sample(t + 2_000, List.of(source(300, t + 2_000)), List.of(pipeline(250, t + 2_000, 900L)));
        assertThat(history.rate("erp")).isEqualTo(100.0);
        // nothing reported since: no new point, the rate stays
        history.sample(t + 3_000, List.of(source(300, t + 2_000)), List.of(pipeline(250, t + 2_000, 900L)));
        assertThat(history.snapshot().get("sources").get("erp")).hasSize(2);
        assertThat(history.rate("erp")).isEqualTo(100.0);
        // the process restarted: its counters start again from zero
        history.sample(t + 4_000, List.of(source(10, t + 4_000)), List.of(pipeline(5, t + 4_000, null)));
        assertThat(history.rate("erp")).isNull();

        List<ConsoleHistory.Point> points = history.snapshot().get("pipelines").get("erp.orders");
        assertThat(points).extracting(ConsoleHistory.Point::perSecond).containsExactly(null, 100.0, null);
        assertThat(points).extracting(ConsoleHistory.Point::p50Ms).containsExactly(800L, 900L, null);
    }

    @Test
    void pointsOlderThanAnHourLeave() {
        ConsoleHistory history = new ConsoleHistory();
        long t = 10_000_000;
        history.sample(t, List.of(source(1, t)), List.of());
        history.sample(t + ConsoleHistory.WINDOW_MS + 1, List.of(source(2, t + ConsoleHistory.WINDOW_MS + 1)), List.of());
        assertThat(history.snapshot().get("sources").get("erp")).extracting(ConsoleHistory.Point::atMs)
                .containsExactly(t + ConsoleHistory.WINDOW_MS + 1);
    }

    private static SourceView source(long events, long at) {
        return new SourceView("erp", "postgres", "streaming", events, null, 0, null, null, null, null, at, 0, null);
    }

    private static PipelineView pipeline(long applied, long at, Long p50) {
        return new PipelineView("erp.orders", "erp", "erp.orders", "STREAMING", "RUNNING", applied, applied, 0L, 10L, p50, p50,
                100L, "equality upsert", null, at);
    }
}
