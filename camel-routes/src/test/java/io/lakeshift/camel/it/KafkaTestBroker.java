package io.lakeshift.camel.it;

import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import io.lakeshift.core.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * Helpers to read what the routes wrote from the test JVM's shared broker ({@link SharedKafka}; a
 * test class using it is annotated {@code @ExtendWith(SharedKafka.class)}). Test classes keep
 * apart by topic (each names its sources differently).
 */
final class KafkaTestBroker {

    private final KafkaClusterTestKit cluster;

    private KafkaTestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static KafkaTestBroker shared() {
        return new KafkaTestBroker(SharedKafka.broker());
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Every record of a topic: reads until at least {@code atLeast} arrived (or two minutes passed),
     * then until nothing new came for a second, so that duplicates would show.
     */
    List<ConsumerRecord<byte[], byte[]>> records(String topic, int atLeast) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrapServers(), "group.id", UUID.randomUUID().toString(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 120_000;
            long idleUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, idleUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
                if (out.size() >= atLeast && idleUntil == Long.MAX_VALUE) {
                    idleUntil = System.currentTimeMillis() + 1_000;
                }
            }
        }
        return out;
    }

    List<ChangeEvent> events(String topic, int atLeast) {
        return records(topic, atLeast).stream().map(r -> ChangeEventCodec.decode(r.key(), r.value())).toList();
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
