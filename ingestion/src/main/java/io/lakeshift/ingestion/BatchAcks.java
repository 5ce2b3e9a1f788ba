package io.lakeshift.ingestion;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Counts the sends of one batch until Kafka has acknowledged them all: one callback object for the
 * whole batch, and one wait at its end rather than one blocking future per record.
 */
final class BatchAcks implements Callback {

    private int pending;
    private Exception failure;

    /** Call before each send. */
    synchronized void sending() {
        pending++;
    }

    /** Call when a send threw instead of returning: its callback will not run. */
    synchronized void failedToSend(Exception e) {
        onCompletion(null, e);
    }

    @Override
    public synchronized void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null && failure == null) {
            failure = exception;
        }
        if (--pending == 0) {
            notifyAll();
        }
    }

    /**
     * Waits until every send is acknowledged or failed.
     *
     * @return the first failure, or null when Kafka acknowledged everything
     */
    synchronized Exception await() throws InterruptedException {
        while (pending > 0) {
            wait();
        }
        return failure;
    }
}
