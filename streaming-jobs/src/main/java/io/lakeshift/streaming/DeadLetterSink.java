package io.lakeshift.streaming;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.TopicNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends records the streaming job cannot apply to {@code <topic>.dlq}, from the driver. */
final class DeadLetterSink implements AutoCloseable {

    private final KafkaConfig kafka;
    private final String clientId;
    private KafkaProducer<byte[], byte[]> producer;

    DeadLetterSink(KafkaConfig kafka, String clientId) {
        this.kafka = kafka;
        this.clientId = clientId;
    }

    /** One dead letter: the raw record and why it was refused. */
    record DeadLetter(String key, String value, String reason, String origin) {
    }

    /** Sends and waits for Kafka's acknowledgement, so a dead letter is never lost. */
    synchronized void send(String topic, List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        if (producer == null) {
            producer = new KafkaProducer<>(kafka.producerProperties(clientId), new ByteArraySerializer(), new ByteArraySerializer());
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (DeadLetter letter : letters) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TopicNames.deadLetters(topic), bytes(letter.key()),
                    bytes(letter.value()));
            record.headers()
                    .add(DeadLetterHeaders.REASON, bytes(letter.reason()))
                    .add(DeadLetterHeaders.ORIGIN, bytes(letter.origin()))
                    .add(DeadLetterHeaders.STAGE, bytes("streaming"))
                    .add(DeadLetterHeaders.TIMESTAMP, bytes(Long.toString(System.currentTimeMillis())));
            sends.add(producer.send(record));
        }
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing dead letters to " + topic + ".dlq", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot write dead letters to " + topic + ".dlq: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
