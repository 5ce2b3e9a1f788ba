package io.lakeshift.camel.kafka;

import io.lakeshift.core.config.KafkaConfig;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Camel's Kafka component as Lakeshift's sources use it: every producer gets exactly the settings of
 * the CDC service ({@link KafkaConfig#producerProperties}: idempotent, acks=all, lz4, batched, then the
 * operator's client and producer settings), with byte-array keys and values. Camel's own producer
 * defaults are not used.
 */
public final class KafkaSetup {

    /** The name the routes' endpoints use: {@code kafka:<topic>?clientId=...}. */
    public static final String COMPONENT = "kafka";

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
