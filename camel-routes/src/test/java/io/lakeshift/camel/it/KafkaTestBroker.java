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
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real single-node KRaft broker of this test JVM, and helpers to read what the routes wrote.
 * Classes that register {@link Extension} share it: it starts before the first of them and closes
 * when JUnit has run them all (the root context's store closes it), before the JVM exits and
 * Kafka's own exit hooks delete its folders. They keep apart by topic (each names its sources
 * differently).
 */
final class KafkaTestBroker {

    private static volatile KafkaTestBroker shared;

    private final KafkaClusterTestKit cluster;

    private KafkaTestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts the shared broker once per JVM and has JUnit close it after the last test class. */
    static final class Extension implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(KafkaTestBroker.class, k -> {
                try {
                    shared = start();
                    return (AutoCloseable) shared.cluster;
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the test Kafka broker: " + e.getMessage(), e);
                }
            }, AutoCloseable.class);
        }
    }

    /** The broker; the calling test class must be annotated {@code @ExtendWith(KafkaTestBroker.Extension.class)}. */
    static KafkaTestBroker shared() {
        if (shared == null) {
            throw new IllegalStateException("no shared broker: annotate the test class with @ExtendWith(KafkaTestBroker.Extension.class)");
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
