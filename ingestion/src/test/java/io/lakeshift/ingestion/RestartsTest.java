package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.IngestionConfig;
import org.junit.jupiter.api.Test;

class RestartsTest {

    @Test
    void waitsDoubleFromOneSecondUpToTheMaximumWithJitter() {
        Restarts longest = new Restarts(new IngestionConfig(8_000, 600_000), () -> 0.999_999);
        assertThat(longest.onFailure(0)).isBetween(999L, 1_000L);
        assertThat(longest.onFailure(1_000)).isBetween(1_999L, 2_000L);
        assertThat(longest.onFailure(3_000)).isBetween(3_999L, 4_000L);
        assertThat(longest.onFailure(7_000)).isBetween(7_999L, 8_000L);
        assertThat(longest.onFailure(15_000)).isBetween(7_999L, 8_000L);

        Restarts shortest = new Restarts(new IngestionConfig(8_000, 600_000), () -> 0.0);
        assertThat(shortest.onFailure(0)).isEqualTo(500L);
        assertThat(shortest.onFailure(500)).isEqualTo(1_000L);
    }

    @Test
    void givesUpWhenFailingForTheGiveUpTimeAndNeverWaitsPastIt() {
        Restarts restarts = new Restarts(new IngestionConfig(60_000, 10_000), () -> 0.999_999);
        assertThat(restarts.onFailure(0)).isPositive();
        assertThat(restarts.onFailure(9_500)).as("capped at the give-up time").isEqualTo(500L);
        assertThat(restarts.onFailure(10_000)).isEqualTo(-1L);
        assertThat(restarts.failingSinceMs()).isZero();
    }

    @Test
    void writesAcknowledgedByKafkaOrALongRunEndTheFailures() {
        Restarts restarts = new Restarts(new IngestionConfig(60_000, 100_000), () -> 0.5);
        restarts.onFailure(0);
        restarts.onFailure(2_000);
        assertThat(restarts.onProgress(3_000, false, 4_000)).as("heartbeats only, shortly after a restart").isFalse();
        assertThat(restarts.failing()).isTrue();
        assertThat(restarts.onProgress(3_000, true, 4_000)).isTrue();
        assertThat(restarts.failing()).isFalse();
        assertThat(restarts.onFailure(50_000)).as("the backoff starts over").isBetween(500L, 1_000L);
        assertThat(restarts.onProgress(51_000, false, 51_000 + Restarts.STABLE_MS)).isTrue();
    }
}
