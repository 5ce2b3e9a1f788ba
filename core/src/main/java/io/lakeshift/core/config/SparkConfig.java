package io.lakeshift.core.config;

import java.util.Map;

/**
 * How Spark jobs run.
 *
 * @param master {@code local[N]}, {@code spark://host:port}, {@code yarn} or {@code k8s://...}
 * @param shufflePartitions spark.sql.shuffle.partitions
 * @param checkpointDir root of the streaming checkpoints, one folder per job under it
 * @param triggerIntervalMs processing-time trigger interval of continuous streaming jobs
 * @param maxOffsetsPerTrigger upper bound of Kafka records per micro-batch
 * @param conf extra Spark settings, passed through as they are
 */
public record SparkConfig(
        String master,
        int shufflePartitions,
        String checkpointDir,
        long triggerIntervalMs,
        long maxOffsetsPerTrigger,
        Map<String, String> conf) {

    public SparkConfig {
        conf = conf == null ? Map.of() : Map.copyOf(conf);
    }

    /** Settings whose keys look secret are masked. */
    @Override
    public String toString() {
        return "SparkConfig[master=" + master + ", shufflePartitions=" + shufflePartitions + ", checkpointDir=" + checkpointDir
                + ", triggerIntervalMs=" + triggerIntervalMs + ", maxOffsetsPerTrigger=" + maxOffsetsPerTrigger + ", conf="
                + Secret.masked(conf) + "]";
    }
}
