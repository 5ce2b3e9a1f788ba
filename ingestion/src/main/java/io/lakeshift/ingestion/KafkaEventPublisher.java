package io.lakeshift.ingestion;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.TopicNames;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes change events and dead letters to Kafka with one idempotent producer. */
final class KafkaEventPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    KafkaEventPublisher(KafkaConfig config, String clientId) {
        this.producer = new KafkaProducer<>(config.producerProperties(clientId), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    Future<RecordMetadata> send(String topic, ChangeEvent event) {
        return producer.send(new ProducerRecord<>(topic, ChangeEventCodec.encodeKey(event), ChangeEventCodec.encodeValue(event)));
    }

    Future<RecordMetadata> sendDeadLetter(String topic, String rawValue, String reason, String origin) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TopicNames.deadLetters(topic), null,
                rawValue == null ? null : rawValue.getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(DeadLetterHeaders.REASON, utf8(reason))
                .add(DeadLetterHeaders.ORIGIN, utf8(origin))
                .add(DeadLetterHeaders.STAGE, utf8("ingestion"))
                .add(DeadLetterHeaders.TIMESTAMP, utf8(Long.toString(System.currentTimeMillis())));
        return producer.send(record);
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
