package io.lakeshift.lakehouse;

import io.lakeshift.core.retry.Backoff;
import io.lakeshift.core.retry.Retry;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;

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

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

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
     * Runs {@code write}, again after a lost race, at most {@code retries} more times, waiting about
     * {@code backoff}, then twice as long (with jitter, up to 30 s), between attempts.
     *
     * @param what what is written, for logs ("MERGE into retail.orders")
     * @return the write's result
     * @throws Exception the write's failure when it is not a lost race or retries ran out
     */
    public static <T> T retry(String what, int retries, Duration backoff, Callable<T> write) throws Exception {
        return new Retry(what, retries, new Backoff(backoff, MAX_BACKOFF),
                CommitConflicts::isRetriable).call(write);
    }
}
