package io.lakeshift.core.retry;

import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a piece of work again after a failure the caller names as retriable, a bounded number of
 * times, with {@link Backoff}. Any other failure, and the last retriable one, goes to the caller
 * as it is: a failure whose outcome is unknown must not be named retriable.
 */
public final class Retry {

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    private final String what;
    private final int retries;
    private final Backoff backoff;
    private final Predicate<? super Exception> retriable;

    /**
     * @param what what the work does, for logs ("MERGE into retail.orders")
     * @param retries how many times to run it again at most (0: once only)
     * @param retriable the failures worth another attempt
     */
    public Retry(String what, int retries, Backoff backoff, Predicate<? super Exception> retriable) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
        this.what = what;
        this.retries = retries;
        this.backoff = backoff;
        this.retriable = retriable;
    }

    /**
     * @return the work's result
     * @throws Exception the work's failure when it is not retriable or the retries ran out
     * @throws InterruptedException when interrupted while waiting to retry
     */
    public <T> T call(Callable<T> work) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return work.call();
            } catch (Exception e) {
                if (attempt >= retries || !retriable.test(e)) {
                    throw e;
                }
                long wait = backoff.delay(attempt).toMillis();
                LOG.info("{} failed ({}); attempt {} of {} in {} ms", what, firstLine(e), attempt + 2, retries + 1, wait);
                Thread.sleep(wait);
            }
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
