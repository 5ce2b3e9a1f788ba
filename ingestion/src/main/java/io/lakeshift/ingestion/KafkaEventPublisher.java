package io.lakeshift.ingestion;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes encoded change events and dead letters to Kafka with one producer: idempotent, acks=all,
 * compressed (see {@link KafkaConfig#producerProperties}), any client setting passed through.
 */
final class KafkaEventPublisher implements AutoCloseable {

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

    void send(EncodedChange change, BatchAcks acks) {
        acks.sending();
        try {
            producer.send(new ProducerRecord<>(change.topic(), change.key(), change.value()), acks);
        } catch (RuntimeException e) {
            acks.failedToSend(e);
        }
    }

    void sendDeadLetter(String topic, String rawValue, String reason, String origin, BatchAcks acks) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TopicNames.deadLetters(topic), null,
                rawValue == null ? null : rawValue.getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(DeadLetterHeaders.REASON, utf8(reason))
                .add(DeadLetterHeaders.ORIGIN, utf8(origin))
                .add(DeadLetterHeaders.STAGE, utf8("ingestion"))
                .add(DeadLetterHeaders.TIMESTAMP, utf8(Long.toString(System.currentTimeMillis())));
        acks.sending();
        try {
            producer.send(record, acks);
        } catch (RuntimeException e) {
            acks.failedToSend(e);
        }
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
