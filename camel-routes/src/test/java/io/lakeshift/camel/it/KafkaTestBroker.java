package io.lakeshift.camel.it;

import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
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
import org.apache.kafka.common.test.TestKitNodes;

/**
 * The real single-node KRaft broker of this test JVM, and helpers to read what the routes wrote.
 * Started on first use and stopped when the JVM exits; test classes share it and keep apart by
 * topic (each names its sources differently).
 */
final class KafkaTestBroker {

    private static KafkaTestBroker shared;

    private final KafkaClusterTestKit cluster;

    private KafkaTestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static synchronized KafkaTestBroker shared() throws Exception {
        if (shared == null) {
            KafkaTestBroker broker = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    broker.cluster.close();
                } catch (Exception e) {
                    // the JVM is exiting; the broker's folders are temporary
                }
            }, "test-kafka-shutdown"));
            shared = broker;
        }
        return shared;
    }

    private static KafkaTestBroker start() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaTestBroker(cluster);
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
