package io.lakeshift.camel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.camel.CamelSources;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.testing.SharedKafka;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A real embedded ActiveMQ Artemis broker and a real in-process Kafka broker. */
@ExtendWith(SharedKafka.class)
class JmsSourceIT {

    static KafkaTestBroker kafka;
    static EmbeddedActiveMQ artemis;
    static String brokerUrl;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestBroker.shared();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        brokerUrl = "tcp://127.0.0.1:" + port;
        artemis = new EmbeddedActiveMQ();
        artemis.setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .addAcceptorConfiguration("tcp", brokerUrl));
        artemis.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (artemis != null) {
            artemis.stop();
        }
    }

    @Test
    void eventsForValidMessagesADeadLetterForAnInvalidOneAndRedeliveryWhenKafkaWasNotReached() throws Exception {
        LakeshiftConfig config = TestConfigs.load(dir.resolve("data"), kafka.bootstrapServers(), """
                  - name: payments
                    kind: jms
                    tables: [pay.transfers]
                    settings:
                      brokerUrl: "%s"
                      queue: transfers
                      key: [id]
                      columns:
                        - {name: id, type: int64}
                        - {name: amount, type: "decimal(12,2)", required: true}
                        - {name: currency, type: string, maxLength: 3}
                """.formatted(brokerUrl));
        AtomicBoolean kafkaDownOnce = new AtomicBoolean(true);
        List<String> ids = new ArrayList<>();
        try (CamelSources sources = CamelSources.create(config, Duration.ofSeconds(10))) {
            AdviceWith.adviceWith(sources.camelContext(), "jms-payments", route -> route.weaveByToUri("kafka:*").before()
                    .process(exchange -> {
                        if (kafkaDownOnce.getAndSet(false)) {
                            throw new IllegalStateException("simulated: Kafka did not acknowledge");
                        }
                    }));
            sources.start(config.kafka());
            ids.add(send("{\"id\": 1, \"amount\": \"10.50\", \"currency\": \"EUR\"}"));
            ids.add(send("{\"id\": \"x\", \"amount\": \"1.00\"}"));
            ids.add(send("{\"id\": 2, \"amount\": 3, \"currency\": \"CHF\"}\n{\"id\": 3, \"amount\": \"4.25\", \"currency\": \"USD\"}"));
            await().atMost(Duration.ofSeconds(90)).until(() -> sources.monitor("payments").counter("messages") == 3);
            assertThat(sources.monitor("payments").counter("events")).isEqualTo(3);
            assertThat(sources.monitor("payments").counter("deadLetters")).isEqualTo(1);
        }
        assertThat(queueIsEmpty()).as("every message acknowledged once Kafka had it").isTrue();

        List<ChangeEvent> events = kafka.events("it.payments.pay.transfers", 3);
        assertThat(events).as("the message whose first attempt failed is in Kafka once").hasSize(3);
        assertThat(events.get(0).after()).containsEntry("amount", "10.50").containsEntry("currency", "EUR");
        assertThat(events.get(0).source().system()).isEqualTo("jms");
        assertThat(events.get(0).source().position()).isEqualTo(ids.get(0) + ":1");
        assertThat(events.get(2).source().position()).isEqualTo(ids.get(2) + ":2");
        assertThat(events.get(2).source().seqHigh()).isEqualTo(events.get(1).source().seqHigh());
        assertThat(events.get(1).source().seqHigh()).isGreaterThan(events.get(0).source().seqHigh());

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.records("it.payments.pay.transfers.dlq", 1);
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(KafkaTestBroker.header(r, DeadLetterHeaders.REASON)).isEqualTo("column 'id': 'x' is not a valid int64");
            assertThat(KafkaTestBroker.header(r, DeadLetterHeaders.ORIGIN)).isEqualTo(ids.get(1) + ":1");
            assertThat(KafkaTestBroker.header(r, "lakeshift.error.raw")).isEqualTo("{\"id\": \"x\", \"amount\": \"1.00\"}");
        });
    }

    private static String send(String text) throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(brokerUrl).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("transfers"));
            TextMessage message = session.createTextMessage(text);
            producer.send(message);
            return message.getJMSMessageID();
        }
    }

    private static boolean queueIsEmpty() throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(brokerUrl).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("transfers");
            try (MessageConsumer consumer = session.createConsumer(queue)) {
                return consumer.receive(1_000) == null;
            }
        }
    }
}
