package io.lakeshift.streaming;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The Kafka offset range a micro-batch holds per partition of one topic, and what of it a table
 * still lacks given the offsets it has committed ({@link CommittedOffsets}): records at or below a
 * partition's committed offset are in the table already and are dropped.
 */
final class BatchRanges {

    private final String topic;
    /** Lowest and highest offset by partition. */
    private final Map<Integer, long[]> ranges;

    BatchRanges(String topic, Map<Integer, long[]> ranges) {
        this.topic = topic;
        this.ranges = Collections.unmodifiableMap(new TreeMap<>(ranges));
    }

    /** Builds ranges from (partition, lowest, highest) triples, widening a partition seen more than once. */
    static final class Builder {
        private final String topic;
        private final Map<Integer, long[]> ranges = new LinkedHashMap<>();

        Builder(String topic) {
            this.topic = topic;
        }

        void add(int partition, long lowest, long highest) {
            ranges.merge(partition, new long[] {lowest, highest},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }

        BatchRanges build() {
            return new BatchRanges(topic, ranges);
        }
    }

    /** The batch's highest offset by {@code topic-partition}. */
    Map<String, Long> highest() {
        Map<String, Long> out = new LinkedHashMap<>();
        ranges.forEach((p, r) -> out.put(CommittedOffsets.partitionKey(topic, p), r[1]));
        return out;
    }

    /** Whether a table with {@code committed} holds every record of the batch. */
    boolean allIn(CommittedOffsets committed) {
        return ranges.entrySet().stream().allMatch(e -> committed.committed(topic, e.getKey()) >= e.getValue()[1]);
    }

    /** Whether a table with {@code committed} holds none of the batch's records (the usual case). */
    boolean noneIn(CommittedOffsets committed) {
        return ranges.entrySet().stream().allMatch(e -> committed.committed(topic, e.getKey()) < e.getValue()[0]);
    }

    /** Whether two tables lack the same records of the batch. */
    boolean sameRemainder(CommittedOffsets a, CommittedOffsets b) {
        return ranges.entrySet().stream().allMatch(e -> {
            long[] r = e.getValue();
            long cutA = Math.max(r[0] - 1, Math.min(r[1], a.committed(topic, e.getKey())));
            long cutB = Math.max(r[0] - 1, Math.min(r[1], b.committed(topic, e.getKey())));
            return cutA == cutB;
        });
    }

    /**
     * The records of {@code rows} a table with {@code committed} lacks: {@code rows} itself when it
     * lacks them all, null when it holds them all.
     *
     * @param rows with the Kafka partition and offset columns of the changelog
     */
    Dataset<Row> notIn(Dataset<Row> rows, CommittedOffsets committed) {
        if (noneIn(committed)) {
            return rows;
        }
        if (allIn(committed)) {
            return null;
        }
        Column keep = lit(false);
        for (Map.Entry<Integer, long[]> e : ranges.entrySet()) {
            keep = keep.or(col(LakeTables.KAFKA_PARTITION).equalTo(e.getKey())
                    .and(col(LakeTables.KAFKA_OFFSET).gt(committed.committed(topic, e.getKey()))));
        }
        return rows.filter(keep);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        ranges.forEach((p, r) -> out.append(out.isEmpty() ? "" : ", ").append(topic).append('-').append(p)
                .append('[').append(r[0]).append("..").append(r[1]).append(']'));
        return out.toString();
    }
}
