package io.lakeshift.streaming;

import io.lakeshift.lakehouse.CatalogProperties;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The Kafka records a table already holds, read from the summaries of the apply job's Iceberg
 * snapshots: per {@code topic-partition}, the highest offset committed ({@value #KAFKA_OFFSETS},
 * {@code topic-partition:offset,...}). Every commit records the table's offsets after it, not only
 * the batch's, so the newest apply snapshot says everything.
 *
 * <p>This, never Spark's batch id, decides what a batch still has to write: a record at or below
 * its partition's committed offset is already in the table. A replay after a crash, a new
 * checkpoint, a new query id or a move between triggers therefore neither skips nor repeats a
 * change (Iceberg's Kafka Connect sink decides the same way).
 */
final class CommittedOffsets {

    static final String JOB = CatalogProperties.SUMMARY_PREFIX + "job";
    static final String BATCH_ID = CatalogProperties.SUMMARY_PREFIX + "batch-id";
    static final String KAFKA_OFFSETS = CatalogProperties.SUMMARY_PREFIX + "kafka-offsets";

    static final CommittedOffsets NONE = new CommittedOffsets(Map.of());

    /** Highest committed offset by {@code topic-partition}. */
    private final Map<String, Long> offsets;

    CommittedOffsets(Map<String, Long> offsets) {
        this.offsets = Collections.unmodifiableMap(new TreeMap<>(offsets));
    }

    /** What {@code table} (refreshed) holds: the offsets of its newest snapshot that records them. */
    static CommittedOffsets of(Table table) {
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return NONE;
        }
        // Other writers (compaction, batch jobs) may have committed since: walk back to the apply job's last commit.
        for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            String recorded = snapshot.summary().get(KAFKA_OFFSETS);
            if (recorded != null) {
                return parse(recorded);
            }
        }
        return NONE;
    }

    static CommittedOffsets parse(String text) {
        Map<String, Long> parsed = new HashMap<>();
        if (text != null && !text.isBlank()) {
            for (String entry : text.split(",")) {
                int colon = entry.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("not a Kafka offset (topic-partition:offset): '" + entry + "' in " + text);
                }
                parsed.merge(entry.substring(0, colon).strip(), Long.parseLong(entry.substring(colon + 1).strip()), Math::max);
            }
        }
        return new CommittedOffsets(parsed);
    }

    /** The form stored in snapshot summaries. */
    @Override
    public String toString() {
        return offsets.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    static String partitionKey(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** The highest committed offset of the partition, or -1 when none is. */
    long committed(String topic, int partition) {
        return offsets.getOrDefault(partitionKey(topic, partition), -1L);
    }

    boolean isEmpty() {
        return offsets.isEmpty();
    }

    Map<String, Long> asMap() {
        return offsets;
    }

    /** These offsets, raised to {@code batch}'s highest offsets (by {@code topic-partition}). */
    CommittedOffsets after(Map<String, Long> batch) {
        Map<String, Long> merged = new HashMap<>(offsets);
        batch.forEach((partition, offset) -> merged.merge(partition, offset, Math::max));
        return new CommittedOffsets(merged);
    }

    /** Per partition, the lower of the two (a partition missing from either is missing here). */
    CommittedOffsets lowest(CommittedOffsets other) {
        Map<String, Long> low = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            Long theirs = other.offsets.get(partition);
            if (theirs != null) {
                low.put(partition, Math.min(offset, theirs));
            }
        });
        return new CommittedOffsets(low);
    }
}
