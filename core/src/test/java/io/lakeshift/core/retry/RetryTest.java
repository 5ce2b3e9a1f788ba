package io.lakeshift.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {

    private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(4), new Random(1));

    @Test
    void backoffGrowsExponentiallyWithJitterUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000), new Random(7));
        for (int i = 0; i < 50; i++) {
            assertThat(backoff.delay(0).toMillis()).isBetween(50L, 100L);
            assertThat(backoff.delay(2).toMillis()).isBetween(200L, 400L);
            assertThat(backoff.delay(10).toMillis()).isBetween(500L, 1_000L);
            assertThat(backoff.delay(62).toMillis()).isBetween(500L, 1_000L);
        }
    }

    @Test
    void retriesNamedFailuresUntilTheWorkSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String result = new Retry("work", 3, FAST, e -> e instanceof IllegalStateException).call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("busy");
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givesUpAfterTheRetriesAndNeverRetriesOtherFailures() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = new Retry("work", 2, FAST, e -> e instanceof IllegalStateException);
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("busy");
        })).hasMessage("busy");
        assertThat(calls).hasValue(3);

        calls.set(0);
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("bad");
        })).hasMessage("bad");
        assertThat(calls).hasValue(1);
    }
}
