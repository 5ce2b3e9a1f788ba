package io.lakeshift.core.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real single-node KRaft broker of a test JVM, for the test classes that register this
 * extension ({@code @ExtendWith(SharedKafka.class)}): started before the first of them and closed
 * when JUnit has run them all (the root context's store closes it), before the JVM exits and
 * Kafka's own exit hooks delete its folders. Test classes keep apart by topic.
 *
 * <p>Shipped in core's test-jar for the tests of the modules that talk to Kafka.
 */
public final class SharedKafka implements BeforeAllCallback {

    private static volatile KafkaClusterTestKit broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(SharedKafka.class, k -> start(),
                AutoCloseable.class);
    }

    /** The broker; the calling test class must be annotated {@code @ExtendWith(SharedKafka.class)}. */
    public static KafkaClusterTestKit broker() {
        if (broker == null) {
            throw new IllegalStateException("no shared broker: annotate the test class with @ExtendWith(SharedKafka.class)");
        }
        return broker;
    }

    private static AutoCloseable start() {
        try {
            KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            started.format();
            started.startup();
            started.waitForReadyBrokers();
            broker = started;
            return started;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka broker: " + e.getMessage(), e);
        }
    }
}
