package io.lakeshift.ingestion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Counts the sends of one batch until Kafka has acknowledged them all, with one wait at the end of
 * the batch rather than one blocking future per record. A change Kafka refuses as too large (the
 * producer's {@code max.request.size}, the broker's or topic's {@code message.max.bytes}) is set
 * aside for its dead-letter topic instead of failing the batch; any other failure fails it.
 */
final class BatchAcks {

    /** A change too large for Kafka, with why and where it came from. */
    record TooLarge(EncodedChange change, String origin, String reason) {
    }

    private int pending;
    private int acknowledged;
    private Exception failure;
    private final List<TooLarge> tooLarge = new ArrayList<>();

    /** The callback of one change's send; call before the send. */
    Callback forChange(EncodedChange change, Supplier<String> origin) {
        sending();
        return (metadata, exception) -> {
            if (exception instanceof RecordTooLargeException || exception instanceof RecordBatchTooLargeException) {
                synchronized (this) {
                    tooLarge.add(new TooLarge(change, origin.get(), exception.getMessage()));
                }
                completed(null);
            } else {
                completed(exception);
            }
        };
    }

    /** The callback of a send whose every failure fails the batch (dead letters); call before the send. */
    Callback forRecord() {
        sending();
        return (RecordMetadata metadata, Exception exception) -> completed(exception);
    }

    private synchronized void sending() {
        pending++;
    }

    private synchronized void completed(Exception exception) {
        if (exception != null && failure == null) {
            failure = exception;
        } else if (exception == null) {
            acknowledged++;
        }
        if (--pending == 0) {
            notifyAll();
        }
    }

    /** True once a send has failed: the batch will fail, the rest of it need not be sent. */
    synchronized boolean failed() {
        return failure != null;
    }

    /**
     * Waits until every send is acknowledged or failed.
     *
     * @return the first failure, or null when Kafka acknowledged everything (too large changes aside)
     */
    synchronized Exception await() throws InterruptedException {
        while (pending > 0) {
            wait();
        }
        return failure;
    }

    /** The changes Kafka refused as too large, once {@link #await} returned; clears the list. */
    synchronized List<TooLarge> takeTooLarge() {
        List<TooLarge> taken = List.copyOf(tooLarge);
        tooLarge.clear();
        return taken;
    }

    /** Sends Kafka acknowledged (dead letters included, too large changes not). */
    synchronized int acknowledged() {
        return acknowledged;
    }
}
