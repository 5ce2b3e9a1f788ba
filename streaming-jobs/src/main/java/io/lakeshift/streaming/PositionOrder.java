package io.lakeshift.streaming;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Whether a batch's source positions strictly increase with the Kafka offset in every partition:
 * then no change of the batch can be a copy of another one (copies of a change share its key,
 * hence its Kafka partition, and its position), and the batch needs no de-duplication. One pass
 * over the cached rows, no shuffle; a source that resends changes (Debezium replaying from its last
 * stored offset) or gives several changes one position makes it false.
 */
final class PositionOrder {

    private PositionOrder() {
    }

    /** @param rows with the Kafka partition and offset and the position, in the order Kafka gave them */
    static boolean strictlyIncreasing(Dataset<Row> rows) {
        List<Segment> segments = rows.select(LakeTables.KAFKA_PARTITION, LakeTables.KAFKA_OFFSET,
                        io.lakeshift.lakehouse.LakeshiftColumns.SEQ_HI, io.lakeshift.lakehouse.LakeshiftColumns.SEQ_LO)
                .queryExecution().toRdd().toJavaRDD().mapPartitions(new Scan()).collect();
        Map<Integer, List<Segment>> byPartition = new HashMap<>();
        for (Segment s : segments) {
            if (!s.ordered()) {
                return false;
            }
            byPartition.computeIfAbsent(s.partition(), p -> new ArrayList<>()).add(s);
        }
        for (List<Segment> partition : byPartition.values()) {
            partition.sort(Comparator.comparingLong(Segment::firstOffset));
            for (int i = 1; i < partition.size(); i++) {
                Segment before = partition.get(i - 1);
                Segment after = partition.get(i);
                if (before.lastOffset() >= after.firstOffset() || !after.first().isAfter(before.last())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What a task saw of one Kafka partition: its first and last record, and whether positions rose in between. */
    record Segment(int partition, long firstOffset, ChangePosition first, long lastOffset, ChangePosition last, boolean ordered)
            implements Serializable {
    }

    private static final class Scan implements FlatMapFunction<Iterator<InternalRow>, Segment> {

        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Segment> call(Iterator<InternalRow> rows) {
            Map<Integer, Segment> seen = new HashMap<>();
            while (rows.hasNext()) {
                InternalRow r = rows.next();
                int partition = r.getInt(0);
                long offset = r.getLong(1);
                if (r.isNullAt(2) || r.isNullAt(3)) {
                    return List.of(new Segment(partition, offset, ChangePosition.NONE, offset, ChangePosition.NONE, false)).iterator();
                }
                ChangePosition at = new ChangePosition(r.getLong(2), r.getLong(3));
                Segment s = seen.get(partition);
                if (s == null) {
                    seen.put(partition, new Segment(partition, offset, at, offset, at, true));
                } else {
                    boolean ordered = s.ordered() && offset > s.lastOffset() && at.isAfter(s.last());
                    seen.put(partition, new Segment(partition, s.firstOffset(), s.first(), offset, at, ordered));
                }
            }
            return seen.values().iterator();
        }
    }
}
