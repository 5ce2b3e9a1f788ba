package io.lakeshift.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.testing.SharedKafka;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafka.class)
class TopicProvisionerIT {

    @Test
    void topicsAreCreatedWithMinInSyncReplicasAndTheConfiguredRetention() throws Exception {
        KafkaConfig kafka = new KafkaConfig(SharedKafka.broker().bootstrapServers(), "lakeshift", 1, (short) 1, Map.of(),
                Map.of(), 604_800_000L);
        String topic = "lakeshift.provision" + System.nanoTime() + ".public.orders";

        TopicProvisioner.ensure(kafka, List.of(topic));

        try (Admin admin = Admin.create(kafka.clientProperties())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("min.insync.replicas").value()).as("min(2, replication factor 1)").isEqualTo("1");
            assertThat(config.get("retention.ms").value()).isEqualTo("604800000");
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        }
    }
}
