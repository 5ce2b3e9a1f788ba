package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FreshnessRecorderTest {

    @Test
    void aSpikeLeavesThePercentilesOnceOlderThanTheWindow() {
        AtomicLong now = new AtomicLong(1_000_000);
        FreshnessRecorder recorder = new FreshnessRecorder(Duration.ofMinutes(5), now::get);

        recorder.record(30_000, 100); // a spike: a hundred changes half a minute late
        now.addAndGet(Duration.ofMinutes(4).toMillis());
        recorder.record(800, 900);
        assertThat(recorder.percentile(0.99)).isEqualTo(30_000);
        assertThat(recorder.max()).isEqualTo(30_000);
        assertThat(recorder.count()).isEqualTo(1_000);

        now.addAndGet(Duration.ofMinutes(1).toMillis());
        assertThat(recorder.percentile(0.99)).as("five minutes after the spike").isEqualTo(800);
        assertThat(recorder.max()).isEqualTo(800);
        assertThat(recorder.count()).isEqualTo(900);

        now.addAndGet(Duration.ofMinutes(5).toMillis());
        assertThat(recorder.percentile(0.5)).as("nothing applied in the window").isEqualTo(-1);
        assertThat(recorder.count()).isZero();
    }
}
