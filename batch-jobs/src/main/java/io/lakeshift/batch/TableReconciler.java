package io.lakeshift.batch;

import io.lakeshift.lakehouse.LakeshiftColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reconciliation of a batch job's output with the streaming output at one source position, on Spark:
 * a batch job of its own, which the migration engine runs as its reconciliation gate and a scheduler
 * can run too. The batch side is the batch run's snapshot. The streaming side at the
 * batch run's source position P is the streaming table's current rows, except for keys changed at
 * or after P, which are rebuilt from the changelog (their newest change before P). Both sides are
 * reduced to key + a 64-bit hash of the other columns (with a null mask), joined on the key, and
 * only the few sampled rows are read back in full to name the columns that differ.
 */
public final class TableReconciler {

    /**
     * One reconciliation: the batch output at the snapshot that recorded source position {@code position},
     * against the streaming output at that same position.
     *
     * @param keyColumns the key columns
     * @param batchTable the batch-written table, {@code catalog.namespace.table}
     * @param batchSnapshotId the batch run's snapshot of that table
     * @param position the source position the batch run read at (for PostgreSQL the WAL LSN as a number)
     * @param streamingTable the table the streaming job writes now, {@code catalog.namespace.table}
     * @param changelogTables the changelog tables of every table the streaming job has written
     * @param sampleSize how many rows of each kind (missing, extra, differing) to name
     */
    public record Request(List<String> keyColumns, String batchTable, long batchSnapshotId, long position,
            String streamingTable, List<String> changelogTables, int sampleSize) {

        public Request {
            keyColumns = List.copyOf(keyColumns);
            changelogTables = List.copyOf(changelogTables);
        }
    }

    /** What a reconciliation found: row counts of both sides, the keys that differ and a sample of each kind. */
    public record Outcome(long batchRows, long streamingRows, long missing, long extra, long differing, List<String> samples,
            long durationMs) {

        public Outcome {
            samples = List.copyOf(samples);
        }
    }

    private final SparkSession spark;

    public TableReconciler(SparkSession spark) {
        this.spark = spark;
    }

    public Outcome reconcile(Request r) {
        long t0 = System.currentTimeMillis();
        String suffix = Long.toUnsignedString(System.nanoTime() % 1_000_000_000L);
        String batchView = "ls_rec_batch_" + suffix;
        String streamView = "ls_rec_stream_" + suffix;
        spark.sql("REFRESH TABLE " + r.batchTable());
        spark.sql("REFRESH TABLE " + r.streamingTable());
        List<String> columns = Arrays.stream(spark.table(r.batchTable()).columns())
                .filter(c -> !LakeshiftColumns.isBookkeeping(c)).toList();
        List<String> values = columns.stream().filter(c -> !r.keyColumns().contains(c)).toList();
        String cols = columns.stream().map(SparkNames::quote).collect(Collectors.joining(", "));
        String keys = r.keyColumns().stream().map(SparkNames::quote).collect(Collectors.joining(", "));

        spark.sql("SELECT " + cols + " FROM " + r.batchTable() + " VERSION AS OF " + r.batchSnapshotId())
                .createOrReplaceTempView(batchView);
        spark.sql(streamingAt(r, cols, keys)).createOrReplaceTempView(streamView);

        String hash = "xxhash64(" + (values.isEmpty() ? "0" : values.stream().map(SparkNames::quote)
                .collect(Collectors.joining(", "))) + ", concat_ws('', " + (values.isEmpty() ? "''" : values.stream()
                .map(c -> "CASE WHEN " + SparkNames.quote(c) + " IS NULL THEN '1' ELSE '0' END").collect(Collectors.joining(", "))) + "))";
        String on = r.keyColumns().stream().map(k -> "b." + SparkNames.quote(k) + " = s." + SparkNames.quote(k)).collect(Collectors.joining(" AND "));
        String joined = "SELECT " + r.keyColumns().stream().map(k -> "coalesce(b." + SparkNames.quote(k) + ", s." + SparkNames.quote(k) + ") AS " + SparkNames.quote(k))
                .collect(Collectors.joining(", ")) + ", b.h IS NOT NULL AS in_b, s.h IS NOT NULL AS in_s, "
                + "CASE WHEN s.h IS NULL THEN 'missing' WHEN b.h IS NULL THEN 'extra' WHEN b.h <> s.h THEN 'differing' END AS kind"
                + " FROM (SELECT " + keys + ", " + hash + " AS h FROM " + batchView + ") b"
                + " FULL OUTER JOIN (SELECT " + keys + ", " + hash + " AS h FROM " + streamView + ") s ON " + on;
        Row counts = spark.sql("SELECT count_if(in_b), count_if(in_s), count_if(kind = 'missing'), count_if(kind = 'extra'),"
                + " count_if(kind = 'differing') FROM (" + joined + ")").first();
        long missing = counts.getLong(2);
        long extra = counts.getLong(3);
        long differing = counts.getLong(4);
        List<String> samples = new ArrayList<>();
        if (missing + extra + differing > 0) {
            // one more pass for the first keys of each kind, then one look-up per side for just those rows
            List<Row> sampled = spark.sql("SELECT kind, " + keys + " FROM (SELECT *, row_number() OVER (PARTITION BY kind"
                    + " ORDER BY " + keys + ") AS ls_rn FROM (" + joined + ") WHERE kind IS NOT NULL) WHERE ls_rn <= "
                    + r.sampleSize() + " ORDER BY kind DESC, " + keys).collectAsList();
            // the sampled keys joined as a view, never spliced into SQL text as literals
            String sampleView = "ls_rec_sample_" + suffix;
            spark.createDataFrame(sampled, spark.sql("SELECT kind, " + keys + " FROM (" + joined + ") WHERE false").schema())
                    .createOrReplaceTempView(sampleView);
            String semi = " LEFT SEMI JOIN " + sampleView + " USING (" + keys + ")";
            Map<List<Object>, Row> batchRows = byKey(batchView, semi, r.keyColumns());
            Map<List<Object>, Row> streamRows = byKey(streamView, semi, r.keyColumns());
            spark.catalog().dropTempView(sampleView);
            for (Row row : sampled) {
                List<Object> key = new ArrayList<>();
                for (int i = 0; i < r.keyColumns().size(); i++) {
                    key.add(row.get(i + 1));
                }
                samples.add(describe(row.getString(0), r.keyColumns(), values, key, batchRows.get(key), streamRows.get(key)));
            }
        }
        spark.catalog().dropTempView(batchView);
        spark.catalog().dropTempView(streamView);
        return new Outcome(counts.getLong(0), counts.getLong(1), missing, extra, differing, samples,
                System.currentTimeMillis() - t0);
    }

    /** The streaming output as of the position: current rows, with keys changed since rebuilt from the changelog. */
    private static String streamingAt(Request r, String cols, String keys) {
        if (r.changelogTables().isEmpty()) {
            return "SELECT " + cols + " FROM " + r.streamingTable();
        }
        String changelog = r.changelogTables().stream()
                .map(t -> "SELECT " + cols + ", _ls_seq_hi, _ls_seq_lo, _ls_op, _ls_kafka_offset FROM " + t)
                .collect(Collectors.joining(" UNION ALL "));
        String using = "USING (" + keys + ")";
        return "WITH cl AS (" + changelog + "),"
                + " changed AS (SELECT DISTINCT " + keys + " FROM cl WHERE _ls_seq_hi >= " + r.position() + "),"
                + " rebuilt AS (SELECT " + cols + " FROM (SELECT cl.*, row_number() OVER (PARTITION BY " + keys
                + " ORDER BY _ls_seq_hi DESC, _ls_seq_lo DESC, _ls_kafka_offset DESC) AS ls_rn FROM cl LEFT SEMI JOIN changed "
                + using + " WHERE _ls_seq_hi < " + r.position() + ") WHERE ls_rn = 1 AND _ls_op <> 'd')"
                + " SELECT " + cols + " FROM " + r.streamingTable() + " LEFT ANTI JOIN changed " + using
                + " UNION ALL SELECT " + cols + " FROM rebuilt";
    }

    /** "differing order_id=7: status batch 'shipped', streaming 'tampered'" and the like. */
    private static String describe(String kind, List<String> keyColumns, List<String> values, List<Object> key, Row b, Row s) {
        String name = java.util.stream.IntStream.range(0, keyColumns.size())
                .mapToObj(i -> keyColumns.get(i) + "=" + key.get(i)).collect(Collectors.joining(", "));
        if ("missing".equals(kind)) {
            return "missing " + name + " (in batch output only: " + render(values, b) + ")";
        }
        if ("extra".equals(kind)) {
            return "extra " + name + " (in streaming output only: " + render(values, s) + ")";
        }
        List<String> diffs = new ArrayList<>();
        for (String c : values) {
            Object bv = b == null ? null : b.getAs(c);
            Object sv = s == null ? null : s.getAs(c);
            if (!Objects.equals(bv, sv)) {
                diffs.add(c + " batch " + show(bv) + ", streaming " + show(sv));
            }
        }
        return "differing " + name + ": " + String.join("; ", diffs);
    }

    private Map<List<Object>, Row> byKey(String view, String semiJoin, List<String> keyColumns) {
        Map<List<Object>, Row> rows = new java.util.HashMap<>();
        for (Row row : spark.sql("SELECT * FROM " + view + semiJoin).collectAsList()) {
            List<Object> key = new ArrayList<>();
            keyColumns.forEach(k -> key.add(row.getAs(k)));
            rows.put(key, row);
        }
        return rows;
    }

    private static String render(List<String> values, Row row) {
        if (row == null) {
            return "";
        }
        return values.stream().limit(6).map(c -> c + "=" + show(row.getAs(c))).collect(Collectors.joining(", "))
                + (values.size() > 6 ? ", ..." : "");
    }

    private static String show(Object v) {
        return v == null ? "NULL" : v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

}
