package io.lakeshift.ingestion;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes encoded change events and dead letters to Kafka with one producer: idempotent, acks=all,
 * compressed (see {@link KafkaConfig#producerProperties}), any client setting passed through.
 */
final class KafkaEventPublisher implements AutoCloseable {

    /** Longest key a too-large change's dead letter carries; a longer one is cut. */
    static final int MAX_DEAD_LETTER_KEY = 16 * 1024;

    private final KafkaProducer<byte[], byte[]> producer;

    KafkaEventPublisher(KafkaConfig config, String clientId) {
        this.producer = new KafkaProducer<>(properties(config, clientId), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * {@link KafkaConfig#producerProperties}, with larger batches for capture (a snapshot sends
     * thousands of events per engine batch, and fewer, larger requests cost the brokers less), unless
     * the operator set the key in {@code kafka.client} or {@code kafka.producer}.
     */
    static Map<String, Object> properties(KafkaConfig config, String clientId) {
        Map<String, Object> props = new HashMap<>(config.producerProperties(clientId));
        if (!config.producer().containsKey("batch.size") && !config.client().containsKey("batch.size")) {
            props.put("batch.size", "1048576");
        }
        return props;
    }

    /** Sends what is batched now rather than after linger.ms: the engine batch is complete. */
    void flush() {
        producer.flush();
    }

    /**
     * Sends a change; a change too large for Kafka is set aside in {@code acks} (see
     * {@link #sendTooLarge}), any other failure fails the batch.
     */
    void send(EncodedChange change, Supplier<String> origin, BatchAcks acks) {
        send(new ProducerRecord<>(change.topic(), change.key(), change.value()), acks.forChange(change, origin));
    }

    /** Sends a record Lakeshift could not convert to its table's dead-letter topic, with the reason. */
    void sendDeadLetter(String topic, String rawValue, String reason, String origin, BatchAcks acks) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TopicNames.deadLetters(topic), null,
                rawValue == null ? null : rawValue.getBytes(StandardCharsets.UTF_8));
        addHeaders(record, reason, origin);
        send(record, acks.forRecord());
    }

    /**
     * Sends a dead letter in place of a change Kafka refused as too large: keyed like the change,
     * without a value (it would be refused too), the key, size and reason in headers.
     */
    void sendTooLarge(BatchAcks.TooLarge refused, BatchAcks acks) {
        EncodedChange change = refused.change();
        byte[] key = change.key();
        if (key != null && key.length > MAX_DEAD_LETTER_KEY) {
            // A keyless table's key is its whole row: keep the dead letter itself small enough for Kafka.
            key = Arrays.copyOf(key, MAX_DEAD_LETTER_KEY);
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TopicNames.deadLetters(change.topic()),
                key == change.key() ? key : null, null);
        addHeaders(record, "too large for Kafka: " + refused.reason(), refused.origin());
        record.headers()
                .add(DeadLetterHeaders.KEY, key)
                .add(DeadLetterHeaders.SIZE, utf8(Long.toString(size(change))));
        send(record, acks.forRecord());
    }

    /** The bytes of a change's key and value, as Kafka weighs them before compression. */
    static long size(EncodedChange change) {
        return (change.key() == null ? 0 : change.key().length) + (change.value() == null ? 0 : change.value().length);
    }

    private void send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        try {
            producer.send(record, callback);
        } catch (RuntimeException e) {
            // Thrown instead of reported to the callback (closed producer, metadata timeout): report it the same way.
            callback.onCompletion(null, e);
        }
    }

    private static void addHeaders(ProducerRecord<byte[], byte[]> record, String reason, String origin) {
        record.headers()
                .add(DeadLetterHeaders.REASON, utf8(reason))
                .add(DeadLetterHeaders.ORIGIN, utf8(origin))
                .add(DeadLetterHeaders.STAGE, utf8("ingestion"))
                .add(DeadLetterHeaders.TIMESTAMP, utf8(Long.toString(System.currentTimeMillis())));
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Closes the producer, waiting at most {@code timeout} for records still in flight. */
    void close(Duration timeout) {
        producer.close(timeout);
    }
}
