package io.lakeshift.core.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: retry {@code n} (0 for the first) waits between half and all of
 * {@code min(max, first * 2^n)}, so clients that failed together do not retry together.
 */
public final class Backoff {

    private final long firstMillis;
    private final long maxMillis;
    private final RandomGenerator random;

    /** A backoff drawing its jitter from {@link ThreadLocalRandom}: safe to share between threads. */
    public Backoff(Duration first, Duration max) {
        this(first, max, null);
    }

    /** @param random the jitter's source, used by one thread at a time; only its {@code nextDouble} is used */
    public Backoff(Duration first, Duration max, RandomGenerator random) {
        this.firstMillis = Math.max(1, first.toMillis());
        this.maxMillis = Math.max(firstMillis, max.toMillis());
        this.random = random;
    }

    /** The wait before retry {@code retry} (0 for the first). */
    public Duration delay(int retry) {
        long ceiling = firstMillis << Math.min(Math.max(retry, 0), 30);
        if (ceiling <= 0 || ceiling > maxMillis) {
            ceiling = maxMillis;
        }
        long half = ceiling / 2;
        double jitter = (random == null ? ThreadLocalRandom.current() : random).nextDouble();
        return Duration.ofMillis(half + Math.round(jitter * (ceiling - half)));
    }

    public Duration max() {
        return Duration.ofMillis(maxMillis);
    }
}
