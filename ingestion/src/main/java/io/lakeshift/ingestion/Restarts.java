package io.lakeshift.ingestion;

import io.lakeshift.core.config.IngestionConfig;
import io.lakeshift.core.retry.Backoff;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;

/**
 * When a failing source is started again: after 1 s, then doubling waits up to the configured
 * maximum, each with jitter (between half and all of it, so sources failing together do not
 * restart together), until the source has kept failing for the configured give-up time.
 *
 * <p>A source has recovered once Kafka acknowledged something it wrote, or once a restart has run
 * for {@link #STABLE_MS} without failing (an idle source writes nothing); only then does the
 * give-up clock stop.
 */
final class Restarts {

    static final long FIRST_BACKOFF_MS = 1_000;
    static final long STABLE_MS = 60_000;

    private final Backoff backoff;
    private final long giveUpAfterMs;
    private long failingSinceMs = -1;
    private int failures;

    Restarts(IngestionConfig config) {
        this(config, (RandomGenerator) null);
    }

    /** @param jitter in [0, 1): where in its range each wait falls */
    Restarts(IngestionConfig config, DoubleSupplier jitter) {
        this(config, new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only the jitter is drawn");
            }

            @Override
            public double nextDouble() {
                return jitter.getAsDouble();
            }
        });
    }

    /** @param random the jitter's source, or null for {@link java.util.concurrent.ThreadLocalRandom} */
    private Restarts(IngestionConfig config, RandomGenerator random) {
        this.backoff = new Backoff(Duration.ofMillis(FIRST_BACKOFF_MS), Duration.ofMillis(config.retryMaxBackoffMs()), random);
        this.giveUpAfterMs = config.giveUpAfterMs();
    }

    /**
     * Records a failure.
     *
     * @return how long to wait before the next start, or -1 when the source has been failing for
     *     the give-up time
     */
    synchronized long onFailure(long nowMs) {
        if (failingSinceMs < 0) {
            failingSinceMs = nowMs;
        }
        failures++;
        long remaining = failingSinceMs + giveUpAfterMs - nowMs;
        if (remaining <= 0) {
            return -1;
        }
        long delay = backoff.delay(failures - 1).toMillis();
        return Math.max(1, Math.min(delay, remaining));
    }

    /**
     * Records that an attempt made progress: a batch handled, with or without writes to Kafka.
     *
     * @return true when this ends a run of failures
     */
    synchronized boolean onProgress(long attemptStartedMs, boolean wroteToKafka, long nowMs) {
        if (failingSinceMs < 0 || !(wroteToKafka || nowMs - attemptStartedMs >= STABLE_MS)) {
            return false;
        }
        failingSinceMs = -1;
        failures = 0;
        return true;
    }

    synchronized boolean failing() {
        return failingSinceMs >= 0;
    }

    synchronized long failingSinceMs() {
        return failingSinceMs;
    }

    synchronized int failures() {
        return failures;
    }

    long giveUpAfterMs() {
        return giveUpAfterMs;
    }
}
