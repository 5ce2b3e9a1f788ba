package io.lakeshift.streaming;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * How one batch reaches a current-state table: by an {@link EqualityUpsert} when every change of
 * the batch is newer than anything the table and its delete markers hold (the usual case: a
 * source's changes arrive in order), else by the MERGE that compares each change with the row it
 * meets. Replays, out-of-order arrivals and the first batch after another writer's rows take the
 * MERGE.
 *
 * @param equalityUpsert whether the batch may be applied by equality deletes
 * @param reason why it may not, or null
 * @param highWater the highest position table and markers hold; empty when it cannot be known
 * @param base the table snapshot the decision was made on (null for an empty table)
 */
record ApplyPath(boolean equalityUpsert, String reason, Optional<ChangePosition> highWater, Snapshot base) {

    /**
     * @param changeColumns the columns the batch's changes carry
     * @param first a position at or before the batch's oldest change, or null when a change has no position
     */
    static ApplyPath choose(Table table, Table markers, ApplyTarget target, Set<String> changeColumns, ChangePosition first) {
        Optional<ChangePosition> tableMark = HighWater.of(table);
        Optional<ChangePosition> markerMark = HighWater.of(markers);
        Optional<ChangePosition> highWater = tableMark.isPresent() && markerMark.isPresent()
                ? Optional.of(ChangePosition.max(tableMark.get(), markerMark.get()))
                : Optional.empty();
        Snapshot base = table.currentSnapshot();
        List<String> missing = table.schema().columns().stream().map(Types.NestedField::name)
                .filter(c -> !changeColumns.contains(c)).toList();
        String reason;
        if (target.transform() != null) {
            reason = "the pipeline has a transform (it may leave columns as they are)";
        } else if (first == null) {
            reason = "a change has no source position";
        } else if (highWater.isEmpty()) {
            reason = "the table's highest source position is unknown (a data file has no column metrics)";
        } else if (!missing.isEmpty()) {
            reason = "the table has column(s) " + String.join(", ", missing) + " the changes do not carry";
        } else if (!first.isAfter(highWater.get())) {
            reason = "the batch holds changes at or before the table's highest position " + highWater.get() + " (a replay or a late arrival)";
        } else {
            reason = EqualityUpsert.unsupportedReason(table, target.key());
        }
        return new ApplyPath(reason == null, reason, highWater, base);
    }

    /**
     * The commit summary with the high water after the batch: the table's and the batch's newest,
     * or none when the table's is unknown.
     *
     * @param last a position at or after the batch's newest change, or null when unknown
     */
    Map<String, String> summaryAfter(ChangePosition last, Map<String, String> summary) {
        return HighWater.summaryAfter(highWater, last, summary);
    }

    String describe() {
        return equalityUpsert ? "equality upsert" : "MERGE (" + reason + ")";
    }
}
