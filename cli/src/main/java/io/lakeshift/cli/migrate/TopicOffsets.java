package io.lakeshift.cli.migrate;

import io.lakeshift.core.config.KafkaConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A topic's end offsets now: what a job must have read to have caught up with this moment. */
public final class TopicOffsets {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicOffsets() {
    }

    /** The exclusive end offset of each partition of {@code topic}; empty when the topic does not exist. */
    public static Map<TopicPartition, Long> end(KafkaConfig kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(new HashMap<>(kafka.clientProperties()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return Map.of();
            }
            return consumer.endOffsets(infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList(), TIMEOUT);
        }
    }
}
