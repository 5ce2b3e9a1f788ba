package io.lakeshift.batch;

import io.lakeshift.lakehouse.CommitConflicts;
import io.lakeshift.lakehouse.CompanionTables;
import io.lakeshift.lakehouse.LakeshiftColumns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.SparkSession;

/**
 * Drops the delete markers that no longer protect anything. A marker (key, position of its delete)
 * makes the apply job drop every change of the key at or before that position. Of a key's markers
 * only the newest does that work; and a marker older than the key's row in the current-state table
 * is not needed either, since the apply job never lets a change older than the row replace it.
 * Both kinds are deleted; the newest marker of a key that is still deleted is always kept, so a
 * replayed older insert still cannot bring the row back.
 *
 * <p>Safe beside a running apply job: it only appends markers (an append never conflicts with this
 * delete; a delete that lost a race with an append is planned again), and a row it writes or
 * deletes later only makes a marker less needed. The highest position the markers hold may drop,
 * but only below a row of the current-state table or another marker, so the apply job's in-order
 * test (a batch newer than both tables' high water) decides as before.
 */
final class DeleteMarkerPruning {

    static final String STEP = "prune-delete-markers";

    private DeleteMarkerPruning() {
    }

    /** The current-state table of a delete-marker table, {@code namespace.table}; empty for any other table. */
    static Optional<String> currentStateTableOf(Table table) {
        return Optional.ofNullable(table.properties().get(CompanionTables.DELETES_OF)).filter(s -> !s.isBlank());
    }

    /**
     * Deletes the superseded markers of {@code markerTable}.
     *
     * @param catalog the Spark catalog name
     * @param markerTable the marker table, {@code namespace.table}
     * @param currentState its current-state table, {@code namespace.table}
     * @return the markers deleted
     */
    static long prune(SparkSession spark, String catalog, String markerTable, Table markers, String currentState, int retries,
            Duration backoff) throws Exception {
        markers.refresh();
        Snapshot start = markers.currentSnapshot();
        if (start == null || "0".equals(start.summary().get(SnapshotSummary.TOTAL_RECORDS_PROP))) {
            return 0;
        }
        String sql = statement(catalog + "." + markerTable, catalog + "." + currentState, keyColumns(markers));
        CommitConflicts.retry("Delete-marker pruning of " + markerTable, retries, backoff, () -> CommitMetadata.withCommitProperties(
                Map.of(TableMaintenance.MAINTENANCE, STEP), () -> spark.sql(sql), RuntimeException.class));
        markers.refresh();
        return deletedSince(markers, start.snapshotId());
    }

    /** The DELETE: a marker goes when a newer marker of its key exists or the key's row is newer. */
    static String statement(String markers, String currentState, List<String> key) {
        String hi = SparkNames.quote(LakeshiftColumns.SEQ_HI);
        String lo = SparkNames.quote(LakeshiftColumns.SEQ_LO);
        return "DELETE FROM " + markers + " d WHERE"
                + " EXISTS (SELECT 1 FROM " + markers + " n WHERE " + sameKey("n", key) + " AND " + newer("n", hi, lo) + ")"
                + " OR EXISTS (SELECT 1 FROM " + currentState + " r WHERE " + sameKey("r", key) + " AND " + newer("r", hi, lo) + ")";
    }

    private static String sameKey(String alias, List<String> key) {
        return key.stream().map(k -> alias + "." + SparkNames.quote(k) + " = d." + SparkNames.quote(k)).collect(Collectors.joining(" AND "));
    }

    private static String newer(String alias, String hi, String lo) {
        return "(" + alias + "." + hi + " > d." + hi + " OR (" + alias + "." + hi + " = d." + hi + " AND " + alias + "." + lo
                + " > d." + lo + "))";
    }

    private static List<String> keyColumns(Table markers) {
        List<String> key = new ArrayList<>(markers.schema().identifierFieldNames());
        if (key.isEmpty()) {
            for (Types.NestedField f : markers.schema().columns()) {
                if (!LakeshiftColumns.isBookkeeping(f.name())) {
                    key.add(f.name());
                }
            }
        }
        if (key.isEmpty() || markers.schema().findField(LakeshiftColumns.SEQ_HI) == null
                || markers.schema().findField(LakeshiftColumns.SEQ_LO) == null) {
            throw new IllegalStateException("table " + markers.name() + " is marked as delete markers ("
                    + CompanionTables.DELETES_OF + ") but lacks key columns or " + LakeshiftColumns.SEQ_HI + "/"
                    + LakeshiftColumns.SEQ_LO);
        }
        return key;
    }

    /** Rows removed by the pruning commits after {@code startId} (none when the DELETE matched nothing). */
    private static long deletedSince(Table markers, long startId) {
        long deleted = 0;
        for (Snapshot s : SnapshotUtil.ancestorsOf(markers.currentSnapshot().snapshotId(), markers::snapshot)) {
            if (s.snapshotId() == startId) {
                break;
            }
            if (STEP.equals(s.summary().get(TableMaintenance.MAINTENANCE))) {
                // Copy-on-write rewrites whole files: the rows it dropped are those removed less those written back.
                deleted += count(s, SnapshotSummary.DELETED_RECORDS_PROP) - count(s, SnapshotSummary.ADDED_RECORDS_PROP)
                        + count(s, SnapshotSummary.ADDED_POS_DELETES_PROP);
            }
        }
        return deleted;
    }

    private static long count(Snapshot s, String property) {
        String value = s.summary().get(property);
        return value == null ? 0 : Long.parseLong(value);
    }

}
