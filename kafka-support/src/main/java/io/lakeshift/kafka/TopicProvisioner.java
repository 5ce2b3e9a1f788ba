package io.lakeshift.kafka;

import io.lakeshift.core.config.KafkaConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the change and dead-letter topics that do not exist yet, with the configured layout
 * ({@code kafka.partitions}, {@code kafka.replicationFactor}, {@code kafka.topicConfigs}). The one
 * place Lakeshift creates topics, for CDC sources and Camel routes alike.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    /** How long the broker may take to list or create topics; a cold broker needs a few seconds. */
    private static final long TIMEOUT_SECONDS = 60;

    private TopicProvisioner() {
    }

    /**
     * @throws IllegalStateException when the broker cannot list or create the topics in time
     * @throws InterruptedException when interrupted while waiting for the broker
     */
    public static void ensure(KafkaConfig kafka, Collection<String> topics) throws InterruptedException {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, kafka.partitions(), kafka.replicationFactor())
                            .configs(kafka.topicConfigs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics at " + kafka.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }
}
