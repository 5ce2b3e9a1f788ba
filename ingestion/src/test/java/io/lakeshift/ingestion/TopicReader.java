package io.lakeshift.ingestion;

import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic from its start to its current end, without a consumer group (no coordinator
 * to wait for): what a test needs after a watermark has proved the events are acknowledged.
 */
final class TopicReader {

    private TopicReader() {
    }

    static List<ConsumerRecord<byte[], byte[]>> records(String bootstrapServers, String topic) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrapServers, "enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.currentTimeMillis() + 120_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    static List<ChangeEvent> events(String bootstrapServers, String topic) {
        return records(bootstrapServers, topic).stream().map(r -> ChangeEventCodec.decode(r.key(), r.value())).toList();
    }
}
