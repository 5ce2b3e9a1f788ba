package io.lakeshift.streaming;

import io.lakeshift.core.config.KafkaConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a pipeline's query starts reading when it has no checkpoint (a new pipeline, a checkpoint
 * lost or deleted, a job moved from an older layout): right after the records its tables hold,
 * per partition ({@link CommittedOffsets}), or at the earliest offset for a partition none of them
 * holds anything of. With a checkpoint, Spark resumes from it and this is not used.
 */
final class StartingOffsets {

    private StartingOffsets() {
    }

    /** Thrown when Kafka no longer holds the records right after those a pipeline's tables hold. */
    static final class DataLossException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        DataLossException(String message) {
            super(message);
        }
    }

    /** Whether {@code checkpoint} holds a started query (Spark resumes from its offsets log). */
    static boolean hasCheckpoint(String checkpoint, Configuration hadoop) {
        try {
            Path offsets = new Path(checkpoint, "offsets");
            FileSystem fs = offsets.getFileSystem(hadoop);
            if (!fs.exists(offsets)) {
                return false;
            }
            for (FileStatus f : fs.listStatus(offsets)) {
                if (f.getPath().getName().matches("\\d+")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /**
     * Spark's {@code startingOffsets} for {@code topic} given what the pipeline's tables hold:
     * {@code earliest} when they hold nothing, else per partition the next offset.
     *
     * @param held per partition, the highest offset every table of the pipeline holds
     * @throws DataLossException when a partition's next offset is no longer (or not yet) in Kafka
     */
    static String of(String pipeline, String topic, CommittedOffsets held, KafkaConfig kafka) {
        if (held.isEmpty()) {
            return "earliest";
        }
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            List<TopicPartition> partitions = new ArrayList<>();
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            if (partitions.isEmpty()) {
                throw new DataLossException("pipeline " + pipeline + ": its tables hold records of topic " + topic
                        + " (" + held + ") but Kafka has no such topic");
            }
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<Integer, Long> start = new TreeMap<>();
            for (TopicPartition tp : partitions) {
                long committed = held.committed(topic, tp.partition());
                start.put(tp.partition(), next(pipeline, tp, committed, beginning.get(tp), end.get(tp)));
            }
            return "{\"" + topic.replace("\\", "\\\\").replace("\"", "\\\"") + "\":{"
                    + start.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(","))
                    + "}}";
        }
    }

    /** The offset to start a partition at: -2 (earliest) when nothing of it is held. */
    static long next(String pipeline, TopicPartition tp, long committed, long beginning, long end) {
        if (committed < 0) {
            return -2;
        }
        long next = committed + 1;
        if (next < beginning) {
            throw new DataLossException("pipeline " + pipeline + ": its tables hold " + tp + " up to offset " + committed
                    + " but Kafka now starts at offset " + beginning + " (retention or compaction removed the records in"
                    + " between): changes were lost. Reload the table (a full reload) and start the pipeline again.");
        }
        if (next > end) {
            throw new DataLossException("pipeline " + pipeline + ": its tables hold " + tp + " up to offset " + committed
                    + " but Kafka ends at offset " + end + " (was the topic deleted and created again?)");
        }
        return next;
    }
}
