package io.lakeshift.orchestration.airflow;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of
 * {@code min(max, base * 2^n)}, so clients that failed together do not retry together.
 */
final class Backoff {

    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), RandomGenerator.getDefault());

    private final long baseMillis;
    private final long maxMillis;
    private final RandomGenerator random;

    Backoff(Duration base, Duration max, RandomGenerator random) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.maxMillis = Math.max(baseMillis, max.toMillis());
        this.random = random;
    }

    /** The wait before retry {@code retry} (0 for the first). */
    Duration delay(int retry) {
        long ceiling = baseMillis << Math.min(retry, 30);
        if (ceiling <= 0 || ceiling > maxMillis) {
            ceiling = maxMillis;
        }
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }

    Duration max() {
        return Duration.ofMillis(maxMillis);
    }
}
