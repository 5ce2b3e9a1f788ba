package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.junit.jupiter.api.Test;

class CommitConflictsTest {

    @Test
    void lostRacesAreRetriableEvenWhenWrapped() {
        assertThat(CommitConflicts.isRetriable(new ValidationException("Cannot commit, missing data files: [a]"))).isTrue();
        assertThat(CommitConflicts.isRetriable(new RuntimeException("job aborted", new CommitFailedException("retries exhausted"))))
                .isTrue();
        assertThat(CommitConflicts.isRetriable(new IllegalStateException("boom"))).isFalse();
    }

    @Test
    void anUnknownCommitOutcomeIsNeverRetried() {
        Exception unknown = new CommitStateUnknownException(new RuntimeException("timeout"));
        assertThat(CommitConflicts.isRetriable(unknown)).isFalse();
        assertThat(CommitConflicts.isRetriable(new ValidationException(unknown, "wrapped"))).isFalse();
    }

    @Test
    void retriesUntilTheWriteGoesThrough() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        String result = CommitConflicts.retry("MERGE into t", 3, Duration.ofMillis(1), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new ValidationException("Found conflicting files");
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givesUpAfterTheRetriesAndOnOtherFailuresAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> CommitConflicts.retry("MERGE", 2, Duration.ofMillis(1), () -> {
            calls.incrementAndGet();
            throw new ValidationException("conflict");
        })).isInstanceOf(ValidationException.class);
        assertThat(calls).hasValue(3);

        AtomicInteger once = new AtomicInteger();
        assertThatThrownBy(() -> CommitConflicts.retry("MERGE", 5, Duration.ofMillis(1), () -> {
            once.incrementAndGet();
            throw new IllegalArgumentException("bad SQL");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(once).hasValue(1);
    }
}
