package io.lakeshift.ingestion;

import io.lakeshift.core.config.IngestionConfig;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

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

    private final long maxBackoffMs;
    private final long giveUpAfterMs;
    private final DoubleSupplier random;
    private long failingSinceMs = -1;
    private int failures;

    Restarts(IngestionConfig config) {
        this(config, () -> ThreadLocalRandom.current().nextDouble());
    }

    Restarts(IngestionConfig config, DoubleSupplier random) {
        this.maxBackoffMs = config.retryMaxBackoffMs();
        this.giveUpAfterMs = config.giveUpAfterMs();
        this.random = random;
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
        long ceiling = Math.min(maxBackoffMs, FIRST_BACKOFF_MS << Math.min(failures - 1, 30));
        long delay = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
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
