package io.lakeshift.lakehouse;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an Iceberg write that lost a race with a concurrent commit. Iceberg already retries a
 * commit whose base moved ({@code commit.retry.num-retries}) when its changes still apply; it
 * gives up with a {@link ValidationException} when they no longer do (a MERGE whose position
 * deletes point at a data file that compaction just replaced, a compaction whose input files got
 * new deletes) and with a {@link CommitFailedException} when its own retries ran out. In both
 * cases nothing was committed, so running the whole write again against the new table state is
 * safe: a MERGE recomputes its matches, a compaction replans its file groups.
 *
 * <p>Never retried: a {@link CommitStateUnknownException} (the commit may have succeeded; running
 * it again could apply it twice) and every other failure.
 */
public final class CommitConflicts {

    private static final Logger LOG = LoggerFactory.getLogger(CommitConflicts.class);

    private CommitConflicts() {
    }

    /** Whether {@code error} (or a cause) is a lost race whose write committed nothing. */
    public static boolean isRetriable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CommitStateUnknownException) {
                return false;
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ValidationException || t instanceof CommitFailedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code write}, again after a lost race, at most {@code retries} more times, waiting
     * {@code backoff}, then twice as long, between attempts.
     *
     * @param what what is written, for logs ("MERGE into retail.orders")
     * @return the write's result
     * @throws Exception the write's failure when it is not a lost race or retries ran out
     */
    public static <T> T retry(String what, int retries, Duration backoff, Callable<T> write) throws Exception {
        long wait = Math.max(1, backoff.toMillis());
        for (int attempt = 0; ; attempt++) {
            try {
                return write.call();
            } catch (Exception e) {
                if (attempt >= retries || !isRetriable(e)) {
                    throw e;
                }
                LOG.info("{} lost a race with a concurrent commit ({}); attempt {} of {} in {} ms", what,
                        rootMessage(e), attempt + 2, retries + 1, wait);
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 30_000);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            if (t instanceof ValidationException || t instanceof CommitFailedException) {
                break;
            }
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
