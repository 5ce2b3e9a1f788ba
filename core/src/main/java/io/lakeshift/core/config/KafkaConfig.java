package io.lakeshift.core.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the change topics live.
 *
 * @param bootstrapServers broker list, or {@code embedded} for an in-process KRaft broker
 * @param topicPrefix first part of every topic name: {@code <prefix>.<source>.<schema>.<table>}
 * @param partitions partitions of each topic Lakeshift creates
 * @param replicationFactor replication factor of each topic Lakeshift creates
 * @param client settings for every Kafka client (producer, consumer, admin, Spark's source):
 *     security.protocol, sasl.*, ssl.* and so on, passed through as they are
 * @param producer extra producer settings, over Lakeshift's defaults
 * @param retentionMs {@code retention.ms} of every topic Lakeshift creates: {@value #KEEP_FOREVER}
 *     (the default) keeps every record, see {@link #topicConfigs()}; or a positive number of milliseconds
 */
public record KafkaConfig(
        String bootstrapServers,
        String topicPrefix,
        int partitions,
        short replicationFactor,
        Map<String, String> client,
        Map<String, String> producer,
        long retentionMs) {

    public static final String EMBEDDED = "embedded";
    /** {@code retention.ms} that keeps records for good. */
    public static final long KEEP_FOREVER = -1;

    public KafkaConfig {
        client = client == null ? Map.of() : Map.copyOf(client);
        producer = producer == null ? Map.of() : Map.copyOf(producer);
    }

    /** Topics that keep their records for good. */
    public KafkaConfig(String bootstrapServers, String topicPrefix, int partitions, short replicationFactor,
            Map<String, String> client, Map<String, String> producer) {
        this(bootstrapServers, topicPrefix, partitions, replicationFactor, client, producer, KEEP_FOREVER);
    }

    public boolean embedded() {
        return EMBEDDED.equals(bootstrapServers);
    }

    public KafkaConfig withBootstrapServers(String servers) {
        return new KafkaConfig(servers, topicPrefix, partitions, replicationFactor, client, producer, retentionMs);
    }

    /**
     * Producer settings: idempotent, acks=all, lz4, batched; then {@link #client()}, then
     * {@link #producer()}, so an operator can override any of them.
     */
    public Map<String, Object> producerProperties(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        props.put("compression.type", "lz4");
        props.put("linger.ms", "10");
        props.put("batch.size", "262144");
        props.put("max.in.flight.requests.per.connection", "5");
        props.put("delivery.timeout.ms", "120000");
        props.put("client.id", clientId);
        props.putAll(clientProperties());
        props.putAll(producer);
        return props;
    }

    /**
     * Settings of every topic Lakeshift creates, change and dead-letter topics alike.
     *
     * <p>{@code retention.ms} is {@link #retentionMs()}: by default records are kept for good, so
     * that a pipeline stopped for a long migration stage, or replayed from the start, still finds
     * every change, and a dead letter stays until someone looks at it. CDC topics are keyed by
     * primary key, so an operator may turn on compaction on the broker.
     *
     * <p>{@code min.insync.replicas} is 2 (1 on a single-replica topic): the producer's
     * {@code acks=all} then waits for two copies, so losing one broker loses no acknowledged change,
     * whatever the cluster's default (often 1) is.
     */
    public Map<String, String> topicConfigs() {
        return Map.of("cleanup.policy", "delete",
                "retention.ms", Long.toString(retentionMs),
                "min.insync.replicas", Integer.toString(Math.min(2, Math.max(1, (int) replicationFactor))));
    }

    /** Client settings with the bootstrap servers, for any Kafka client. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(client);
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }

    /** Settings whose keys look secret (sasl.jaas.config, ssl.key.password, ...) are masked. */
    @Override
    public String toString() {
        return "KafkaConfig[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix + ", partitions=" + partitions
                + ", replicationFactor=" + replicationFactor + ", client=" + Secret.masked(client) + ", producer="
                + Secret.masked(producer) + ", retentionMs=" + retentionMs + "]";
    }
}
