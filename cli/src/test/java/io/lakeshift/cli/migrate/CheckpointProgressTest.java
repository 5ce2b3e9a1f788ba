package io.lakeshift.cli.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads a checkpoint laid out as Spark writes it (the offsets file's format copied from a real run). */
class CheckpointProgressTest {

    private static final String TOPIC = "lakeshift.retail.retail.orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    @TempDir
    Path checkpoint;

    @Test
    void aJobHasCaughtUpWhenItsNewestCommittedBatchReachesTheEndOffsets() throws Exception {
        offsets(84, 2903);
        offsets(85, 3100);
        commit(84);

        assertThat(CheckpointProgress.newestCommit(checkpoint)).hasValue(84);
        assertThat(CheckpointProgress.reached(checkpoint, Map.of(P0, 2903L))).isTrue();
        assertThat(CheckpointProgress.reached(checkpoint, Map.of(P0, 3100L)))
                .as("batch 85 is planned but not committed").isFalse();

        commit(85);
        assertThat(CheckpointProgress.reached(checkpoint, Map.of(P0, 3100L))).isTrue();
        assertThat(CheckpointProgress.reached(checkpoint, Map.of(new TopicPartition(TOPIC, 1), 5L)))
                .as("a partition the job has not read").isFalse();
    }

    @Test
    void aJobThatHasCommittedNothingHasCaughtUpOnlyWithAnEmptyTopic() {
        assertThat(CheckpointProgress.newestCommit(checkpoint)).isEmpty();
        assertThat(CheckpointProgress.reached(checkpoint, Map.of(P0, 0L))).isTrue();
        assertThat(CheckpointProgress.reached(checkpoint, Map.of(P0, 1L))).isFalse();
    }

    private void offsets(long batch, long offset) throws Exception {
        Files.createDirectories(checkpoint.resolve("offsets"));
        Files.writeString(checkpoint.resolve("offsets").resolve(Long.toString(batch)), "v1\n"
                + "{\"batchWatermarkMs\":0,\"batchTimestampMs\":1795445157484,\"conf\":{\"spark.sql.shuffle.partitions\":\"2\"}}\n"
                + "{\"" + TOPIC + "\":{\"0\":" + offset + "}}");
        Files.writeString(checkpoint.resolve("offsets").resolve("." + batch + ".crc"), "crc");
    }

    private void commit(long batch) throws Exception {
        Files.createDirectories(checkpoint.resolve("commits"));
        Files.writeString(checkpoint.resolve("commits").resolve(Long.toString(batch)), "v1\n{\"nextBatchWatermarkMs\":0}");
    }
}
