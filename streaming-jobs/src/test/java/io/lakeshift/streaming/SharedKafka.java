package io.lakeshift.streaming;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * The real single-node KRaft broker of this test JVM, started on first use and stopped when the
 * JVM exits. Test classes share it and keep apart by topic prefix.
 */
final class SharedKafka {

    private static KafkaClusterTestKit broker;

    private SharedKafka() {
    }

    static synchronized KafkaClusterTestKit broker() throws Exception {
        if (broker == null) {
            KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .build();
            started.format();
            started.startup();
            started.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception e) {
                    // the JVM is exiting; the broker's folders are temporary
                }
            }, "test-kafka-shutdown"));
            broker = started;
        }
        return broker;
    }
}
