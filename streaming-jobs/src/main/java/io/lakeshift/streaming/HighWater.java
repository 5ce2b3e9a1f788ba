package io.lakeshift.streaming;

import io.lakeshift.lakehouse.CatalogProperties;
import io.lakeshift.lakehouse.LakeshiftColumns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The highest source position a table written by the apply job may hold: every row in it was
 * written by a change at or before this position. A batch whose changes all come after the high
 * water of a current-state table and of its delete markers cannot meet a newer row or a later
 * delete of any of its keys, so it may replace those rows without reading them.
 *
 * <p>The apply job records the position in the summary of every snapshot it commits ({@value
 * #SUMMARY_KEY}). Compaction and other {@code replace} snapshots change no row and are looked
 * through. After any other writer (a full reload, a promotion, a hand-made change), the position
 * is taken from the column metrics of the live data files: the largest upper bound of
 * {@code _ls_seq_hi}, with any {@code _ls_seq_lo}.
 */
final class HighWater {

    /** Snapshot summary key of the highest source position applied, {@code hi:lo}. */
    static final String SUMMARY_KEY = CatalogProperties.SUMMARY_PREFIX + "max-seq";

    private HighWater() {
    }

    /**
     * {@code summary} with the high water after a batch: the larger of {@code mark} and
     * {@code last}; {@code summary} itself when either is unknown.
     */
    static Map<String, String> summaryAfter(Optional<ChangePosition> mark, ChangePosition last, Map<String, String> summary) {
        if (mark.isEmpty() || last == null) {
            return summary;
        }
        Map<String, String> with = new LinkedHashMap<>(summary);
        with.put(SUMMARY_KEY, ChangePosition.max(mark.get(), last).toString());
        return with;
    }

    /**
     * @return the table's high-water position ({@link ChangePosition#NONE} for a table without
     *     rows), or empty when it cannot be known (a data file without metrics)
     */
    static Optional<ChangePosition> of(Table table) {
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return Optional.of(ChangePosition.NONE);
        }
        for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            String recorded = s.summary().get(SUMMARY_KEY);
            if (recorded != null) {
                return Optional.of(ChangePosition.parse(recorded));
            }
            if (!DataOperations.REPLACE.equals(s.operation())) {
                break;
            }
        }
        return fromMetrics(table, current);
    }

    /** The largest upper bound of {@code _ls_seq_hi} over the snapshot's data files. */
    static Optional<ChangePosition> fromMetrics(Table table, Snapshot snapshot) {
        Types.NestedField hi = table.schema().findField(LakeshiftColumns.SEQ_HI);
        if (hi == null) {
            return Optional.empty();
        }
        long max = Long.MIN_VALUE;
        boolean any = false;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId()).includeColumnStats().planFiles()) {
            for (FileScanTask task : tasks) {
                if (task.file().recordCount() == 0) {
                    continue;
                }
                long nulls = task.file().nullValueCounts() == null ? -1 : task.file().nullValueCounts().getOrDefault(hi.fieldId(), -1L);
                if (nulls == task.file().recordCount()) {
                    continue; // rows without a position (written before Lakeshift tracked them) hold no newer change
                }
                ByteBuffer upper = task.file().upperBounds() == null ? null : task.file().upperBounds().get(hi.fieldId());
                if (upper == null) {
                    return Optional.empty();
                }
                max = Math.max(max, (Long) Conversions.fromByteBuffer(hi.type(), upper));
                any = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot plan the files of " + table.name() + ": " + e.getMessage(), e);
        }
        return Optional.of(any ? new ChangePosition(max, Long.MAX_VALUE) : ChangePosition.NONE);
    }
}
