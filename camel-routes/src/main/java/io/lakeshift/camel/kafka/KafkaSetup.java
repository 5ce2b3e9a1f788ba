package io.lakeshift.camel.kafka;

import io.lakeshift.core.config.KafkaConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's Kafka component as Lakeshift's sources use it: every producer gets exactly the settings of
 * the CDC service ({@link KafkaConfig#producerProperties}: idempotent, acks=all, lz4, batched, then the
 * operator's client and producer settings), with byte-array keys and values. Camel's own producer
 * defaults are not used. Also creates the topics a route writes to.
 */
public final class KafkaSetup {

    /** The name the routes' endpoints use: {@code kafka:<topic>?clientId=...}. */
    public static final String COMPONENT = "kafka";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSetup.class);

    private KafkaSetup() {
    }

    /** Registers the Kafka component of {@code kafka} in the context. */
    public static void register(CamelContext context, KafkaConfig kafka) {
        KafkaConfiguration configuration = new KafkaConfiguration();
        configuration.setBrokers(kafka.bootstrapServers());
        configuration.setKeySerializer(ByteArraySerializer.class.getName());
        configuration.setValueSerializer(ByteArraySerializer.class.getName());
        configuration.setRecordMetadata(false);
        configuration.setBatchWithIndividualHeaders(true);
        KafkaComponent component = new KafkaComponent(context);
        component.setConfiguration(configuration);
        component.setKafkaClientFactory(new LakeshiftClientFactory(kafka));
        context.addComponent(COMPONENT, component);
    }

    /** The endpoint URI of a source's topic; {@code clientId} names the producer in broker metrics. */
    public static String endpointUri(SourceTable table, String clientId) {
        return COMPONENT + ":" + table.topic() + "?clientId=" + clientId;
    }

    /** Creates the topics that do not exist yet, with the configured partitions and replication. */
    public static void ensureTopics(KafkaConfig kafka, Collection<String> topics) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, kafka.partitions(), kafka.replicationFactor())
                            .configs(kafka.topicConfigs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics at " + kafka.bootstrapServers() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Builds producers from {@link KafkaConfig#producerProperties}, keeping only Camel's client id. */
    static final class LakeshiftClientFactory extends DefaultKafkaClientFactory {

        private final KafkaConfig kafka;

        LakeshiftClientFactory(KafkaConfig kafka) {
            this.kafka = kafka;
        }

        @Override
        public Producer getProducer(Properties camelProperties) {
            String clientId = camelProperties.getProperty("client.id", "lakeshift-camel");
            Properties props = new Properties();
            props.putAll(kafka.producerProperties(clientId));
            props.put("key.serializer", ByteArraySerializer.class.getName());
            props.put("value.serializer", ByteArraySerializer.class.getName());
            return new KafkaProducer<byte[], byte[]>(props);
        }

        @Override
        public String getBrokers(KafkaConfiguration configuration) {
            return kafka.bootstrapServers();
        }
    }
}
