package io.lakeshift.ingestion;

import io.lakeshift.core.config.KafkaConfig;
import java.util.Collection;

/**
 * Creates change and dead-letter topics that do not exist yet.
 *
 * @deprecated use {@link io.lakeshift.kafka.TopicProvisioner}; kept for the callers still on this name
 */
@Deprecated
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    public static void ensure(KafkaConfig kafka, Collection<String> topics) throws InterruptedException {
        io.lakeshift.kafka.TopicProvisioner.ensure(kafka, topics);
    }
}
