package io.lakeshift.streaming;

import static org.apache.spark.sql.functions.col;

import io.lakeshift.lakehouse.LakeshiftColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the changelog exactly-once by a change's identity, its source position and key: a change
 * that ingestion sends again (Debezium replays from its last stored offset after a crash, under
 * new Kafka offsets) is not appended again. The cost follows the batch: copies within the batch
 * are looked for only when its positions do not strictly rise ({@link PositionOrder}), and the
 * changelog is read only over the window where the batch overlaps what it holds, from the batch's
 * oldest position to the changelog's high water ({@link HighWater}, recorded by every append).
 */
final class ChangelogIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(ChangelogIdentity.class);

    private ChangelogIdentity() {
    }

    /**
     * The changes of {@code rows} the changelog does not hold yet, each once.
     *
     * @param changelog refreshed
     * @param first a position at or before the batch's oldest change, or null when a change has no position
     */
    static Dataset<Row> newChanges(SparkSession spark, ApplyTarget target, Table changelog, Optional<ChangePosition> highWater,
            Dataset<Row> rows, ChangePosition first) {
        List<String> identity = new ArrayList<>(target.key());
        identity.add(LakeshiftColumns.SEQ_HI);
        identity.add(LakeshiftColumns.SEQ_LO);
        Dataset<Row> once = rows;
        if (!PositionOrder.strictlyIncreasing(rows)) {
            once = rows.dropDuplicates(identity.stream().map(c -> c.replace("`", "")).toArray(String[]::new));
            LOG.info("Pipeline {}: the batch's source positions do not strictly rise; copies of a change within it are dropped",
                    target.pipeline());
        }
        if (changelog.currentSnapshot() == null
                || (first != null && highWater.isPresent() && first.isAfter(highWater.get()))) {
            return once; // the usual case: everything is newer than what the changelog holds
        }
        Dataset<Row> held = spark.read().option("versionAsOf", Long.toString(changelog.currentSnapshot().snapshotId()))
                .table(target.changelogTable());
        if (first != null) {
            Column window = col(LakeshiftColumns.SEQ_HI).geq(first.hi());
            if (highWater.isPresent()) {
                window = window.and(col(LakeshiftColumns.SEQ_HI).leq(highWater.get().hi()));
            }
            held = held.filter(window);
        }
        held = held.select(identity.stream().map(c -> col(ChangeBatchApplier.MergeStatement.q(c)).as("h" + identity.indexOf(c)))
                .toArray(Column[]::new));
        Column same = null;
        for (int i = 0; i < identity.size(); i++) {
            Column c = col(ChangeBatchApplier.MergeStatement.q(identity.get(i))).eqNullSafe(held.col("h" + i));
            same = same == null ? c : same.and(c);
        }
        LOG.info("Pipeline {}: the batch overlaps the changelog's positions (from {} to {}): changes it holds already are dropped",
                target.pipeline(), first, highWater.map(ChangePosition::toString).orElse("its end"));
        return once.join(held, same, "left_anti");
    }
}
