package io.lakeshift.batch;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.CatalogProperties;
import io.lakeshift.lakehouse.SnapshotProtection;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkReadOptions;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A downstream batch job of the kind that keeps running after a pipeline moves to streaming: it
 * reads the current-state orders and order lines tables and writes daily revenue per customer.
 * It cannot tell whether batch or streaming wrote its inputs.
 *
 * <p>It runs as a full recompute or incrementally. Each run records, in the mart's snapshot
 * summary and in the same commit as the data, the input snapshots it read
 * ({@code lakeshift.input.<table>.snapshot-id}). Beside the mart, {@code <mart>__sums} holds each
 * (customer, day) group's exact figures (orders with lines, priced lines, the unrounded sum of their
 * amounts), committed first with the same input snapshots. A group's figures are sums over its
 * orders, so an incremental run needs only the orders that changed: it reads their ids from the
 * files the inputs' snapshots added and deleted since the last run ({@link SnapshotChanges}: inserts,
 * updates and deletes, merge-on-read position deletes and the streaming job's equality deletes by
 * key), reads those orders and their lines at the last run's snapshots and at the current ones
 * (scans filtered on the ids and the id ranges they fall in, which Iceberg prunes files, row groups
 * and partitions by), adds each group the difference to its sums, and MERGEs the groups whose
 * figures moved into the sums and the mart, deleting groups that have no orders left. The result
 * equals a full recompute. When it cannot know what changed (first run, sums not at the mart's last
 * inputs, an input rolled back or its snapshots expired, too many changes), it recomputes in full
 * and says why.
 *
 * <pre>
 * spark-submit --class io.lakeshift.batch.DailyRevenueJob lakeshift-jobs.jar --config lakeshift.yaml --mode incremental
 * lakeshift batch run daily-revenue --mode full
 * </pre>
 *
 * Options: {@code --namespace} (of orders and order_lines; default the first source's name),
 * {@code --target} (default {@code marts.daily_revenue}), {@code --mode incremental|full}
 * (default incremental).
 */
public final class DailyRevenueJob {

    /** The job name in the mart's snapshot summaries. */
    public static final String JOB = "daily-revenue";
    /** Snapshot summary key: how a run computed the mart, {@code full} or {@code incremental}. */
    public static final String MODE = CatalogProperties.SUMMARY_PREFIX + "mode";
    /** Snapshot summary key prefix of the input snapshots a run read: {@code lakeshift.input.<table>.snapshot-id}. */
    public static final String INPUT_PREFIX = CatalogProperties.SUMMARY_PREFIX + "input.";
    /** Suffix of the table beside the mart that holds each group's exact sums, which incremental runs add to. */
    public static final String SUMS_SUFFIX = "__sums";
    /** Table property of a sums table: its mart. */
    public static final String SUMS_OF = CatalogProperties.SUMMARY_PREFIX + "sums-of";

    static final Set<String> OPTIONS = Set.of("namespace", "target", "mode");
    private static final Logger LOG = LoggerFactory.getLogger(DailyRevenueJob.class);

    /** Revenue of a line: quantity times unit price less its discount, rounded to cents per day. */
    private static final String REVENUE_SQL = """
            SELECT o.customer_id,
                   o.order_date,
                   count(DISTINCT o.order_id) AS orders,
                   CAST(round(sum(l.quantity * l.unit_price * (1 - coalesce(l.discount, 0))), 2) AS DECIMAL(18,2)) AS revenue
            FROM %s o JOIN %s l ON l.order_id = o.order_id
            GROUP BY o.customer_id, o.order_date
            """;

    /** The amount of one order line; the mart rounds each group's sum of them to cents. */
    private static final String LINE_AMOUNT = "l.quantity * l.unit_price * (1 - coalesce(l.discount, 0))";

    /**
     * Per group, exact: orders with lines, lines with an amount and the sum of their amounts
     * (null when none has one, as the mart's revenue is).
     */
    private static final String SUMS_SQL = """
            SELECT o.customer_id,
                   o.order_date,
                   count(DISTINCT o.order_id) AS orders,
                   count(%1$s) AS priced,
                   sum(%1$s) AS amount
            FROM %2$s o JOIN %3$s l ON l.order_id = o.order_id
            GROUP BY o.customer_id, o.order_date
            """;

    /** Per order and the group it is in, what it adds to the group's sums. */
    private static final String CONTRIBUTION_SQL = """
            SELECT o.customer_id, o.order_date, o.order_id, count(%1$s) AS priced, sum(%1$s) AS amount
            FROM %2$s o JOIN %3$s l ON l.order_id = o.order_id
            GROUP BY o.customer_id, o.order_date, o.order_id
            """;

    /** Most id ranges an incremental run's scans are filtered on. */
    private static final int MAX_RANGES = 32;

    /** How a run computes the mart. */
    public enum Mode {
        /** Recompute every group. */
        FULL,
        /** Recompute the groups the input changes touched; in full when that cannot be known. */
        INCREMENTAL;

        static Mode parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--mode", "must be incremental or full, got '" + text + "'");
            }
        }
    }

    /**
     * What a run did.
     *
     * @param mart the mart table
     * @param mode {@code full} or {@code incremental}, as it ran
     * @param rows rows in the mart afterwards
     * @param recomputedGroups (customer, day) groups recomputed; every group for a full run
     * @param changedRows input rows read to find the changes (incremental runs)
     * @param ordersSnapshot the orders snapshot the mart now reflects
     * @param linesSnapshot the order lines snapshot the mart now reflects
     * @param fallbackReason why an incremental run recomputed in full, or null
     * @param durationMs wall time
     * @param steps where an incremental run's time went, or empty
     */
    public record Run(String mart, String mode, long rows, long recomputedGroups, long changedRows, long ordersSnapshot,
            long linesSnapshot, String fallbackReason, long durationMs, String steps) {

        public String summaryLine() {
            return String.format("%s %s: %,d rows, %,d group(s) recomputed%s in %.1f s", mart, mode, rows, recomputedGroups,
                    fallbackReason == null ? "" : " (full because " + fallbackReason + ")", durationMs / 1000.0);
        }
    }

    private DailyRevenueJob() {
    }

    /**
     * The mart's query over the given orders and order lines tables; plain SQL that Spark and
     * PostgreSQL both run, so the demo can have the source compute the expected answer.
     */
    public static String revenueQuery(String orders, String orderLines) {
        return REVENUE_SQL.formatted(orders, orderLines);
    }

    static String sumsQuery(String orders, String orderLines) {
        return SUMS_SQL.formatted(LINE_AMOUNT, orders, orderLines);
    }

    static String contributionQuery(String orders, String orderLines) {
        return CONTRIBUTION_SQL.formatted(LINE_AMOUNT, orders, orderLines);
    }

    public static void main(String[] args) throws Exception {
        BatchJobs.runMain(new Job(), args);
    }

    /**
     * Recomputes the mart and replaces its content in one Iceberg commit.
     *
     * @return rows written
     */
    public static long run(SparkSession spark, String catalog, String namespace, String target) {
        return run(spark, catalog, namespace, target, Mode.FULL).rows();
    }

    /** Runs the mart in {@code mode}. */
    public static Run run(SparkSession spark, String catalog, String namespace, String target, Mode mode) {
        long started = System.currentTimeMillis();
        String orders = catalog + "." + namespace + ".orders";
        String lines = catalog + "." + namespace + ".order_lines";
        String mart = catalog + "." + target;
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + mart.substring(0, mart.lastIndexOf('.')));
        Table ordersTable = load(spark, orders);
        Table linesTable = load(spark, lines);
        long ordersNow = currentId(ordersTable);
        long linesNow = currentId(linesTable);

        String sums = mart + SUMS_SUFFIX;
        String fallback = null;
        if (mode == Mode.INCREMENTAL) {
            Map<String, String> state = lastState(spark, mart);
            Map<String, String> sumsState = lastState(spark, sums);
            String ordersKey = INPUT_PREFIX + namespace + ".orders.snapshot-id";
            String linesKey = INPUT_PREFIX + namespace + ".order_lines.snapshot-id";
            if (state == null || !state.containsKey(ordersKey) || !state.containsKey(linesKey)) {
                fallback = "the mart has no earlier run to continue from";
            } else if (sumsState == null || !state.get(ordersKey).equals(sumsState.get(ordersKey))
                    || !state.get(linesKey).equals(sumsState.get(linesKey))) {
                fallback = "its per-group sums (" + sums + ") are not at the inputs of the mart's last run";
            } else if (!(spark.table(sums).schema().apply("amount").dataType() instanceof DecimalType)) {
                fallback = "revenue is not decimal: sums of changes would not be exact";
            } else {
                // Beyond a quarter of the rows changed, recomputing everything is cheaper. Only the
                // order ids are read from the changes: the streaming job's equality deletes are by key,
                // so they are read as they are, without looking the deleted rows up.
                long records = records(ordersTable) + records(linesTable);
                long maxChanged = Math.max(10_000, records / 4);
                long maxScanned = Math.max(100_000, 2 * records);
                long ordersThen = Long.parseLong(state.get(ordersKey));
                long linesThen = Long.parseLong(state.get(linesKey));
                SnapshotChanges.Result orderChanges = SnapshotChanges.between(ordersTable, ordersThen, ordersNow,
                        List.of("order_id"), maxChanged, maxScanned);
                SnapshotChanges.Result lineChanges = orderChanges.complete()
                        ? SnapshotChanges.between(linesTable, linesThen, linesNow, List.of("order_id"),
                                maxChanged - orderChanges.rows().size() - orderChanges.deletedKeys().size(),
                                maxScanned - orderChanges.rowsRead())
                        : orderChanges;
                if (orderChanges.complete() && lineChanges.complete()) {
                    return incremental(spark, namespace, orders, lines, mart, sums, ordersThen, linesThen, ordersNow, linesNow,
                            orderChanges, lineChanges, started);
                }
                fallback = orderChanges.complete() ? lineChanges.fallbackReason() : orderChanges.fallbackReason();
            }
            LOG.info("Daily revenue: recomputing {} in full because {}", mart, fallback);
        }
        return full(spark, namespace, orders, lines, mart, sums, ordersNow, linesNow, fallback, started);
    }

    private static Run full(SparkSession spark, String namespace, String orders, String lines, String mart, String sums,
            long ordersNow, long linesNow, String fallback, long started) {
        scan(spark, orders, ordersNow).createOrReplaceTempView("ls_rev_full_orders");
        scan(spark, lines, linesNow).createOrReplaceTempView("ls_rev_full_lines");
        Map<String, String> summary = summary(namespace, ordersNow, linesNow, "full");
        // The per-group sums first, then the mart rounded from them: one join of the inputs for both.
        Dataset<Row> groupSums = spark.sql(sumsQuery("ls_rev_full_orders", "ls_rev_full_lines"));
        CommitMetadata.withCommitProperties(summary, () -> {
            replace(spark, groupSums, sums, Map.of(SUMS_OF, mart));
            return null;
        }, RuntimeException.class);
        spark.catalog().dropTempView("ls_rev_full_orders");
        spark.catalog().dropTempView("ls_rev_full_lines");
        scan(spark, sums, -1).createOrReplaceTempView("ls_rev_full_sums");
        Dataset<Row> result = spark.sql("SELECT customer_id, order_date, orders, CAST(round(amount, 2) AS DECIMAL(18,2)) AS revenue"
                + " FROM ls_rev_full_sums");
        CommitMetadata.withCommitProperties(summary, () -> {
            replace(spark, result, mart, Map.of());
            return null;
        }, RuntimeException.class);
        spark.catalog().dropTempView("ls_rev_full_sums");
        long rows = martRows(spark, mart);
        Run run = new Run(mart, "full", rows, rows, 0, ordersNow, linesNow, fallback, System.currentTimeMillis() - started, "");
        LOG.info("Daily revenue: {}", run.summaryLine());
        return run;
    }

    /** Replaces the content of {@code table} with {@code data} in one commit, creating or re-creating it as needed. */
    private static void replace(SparkSession spark, Dataset<Row> data, String table, Map<String, String> properties) {
        try {
            if (!spark.catalog().tableExists(table)) {
                martWriter(data, table, properties).create();
            } else if (sameColumns(spark.table(table).schema(), data.schema())) {
                data.writeTo(table).overwrite(lit(true));
            } else {
                martWriter(data, table, properties).createOrReplace();
            }
        } catch (org.apache.spark.sql.AnalysisException e) {
            throw new IllegalStateException("cannot write " + table + ": " + e.getMessage(), e);
        }
    }

    private static Run incremental(SparkSession spark, String namespace, String orders, String lines, String mart, String sums,
            long ordersThen, long linesThen, long ordersNow, long linesNow, SnapshotChanges.Result orderChanges,
            SnapshotChanges.Result lineChanges, long started) {
        long changesRead = System.currentTimeMillis();
        Map<String, String> summary = summary(namespace, ordersNow, linesNow, "incremental");
        long changedRows = orderChanges.rowsRead() + lineChanges.rowsRead();
        List<String> views = new ArrayList<>();
        try {
            // The orders whose figures may have changed: those of a changed order row or order line.
            Set<Object> touched = new HashSet<>();
            for (Record r : orderChanges.rows()) {
                touched.add(spark(r.getField("order_id")));
            }
            for (Record r : lineChanges.rows()) {
                touched.add(spark(r.getField("order_id")));
            }
            touched.addAll(orderIdsOfDeletedKeys(spark, orders, ordersThen, orderChanges));
            touched.addAll(orderIdsOfDeletedKeys(spark, lines, linesThen, lineChanges));
            touched.remove(null);
            if (touched.isEmpty()) {
                return recordPositionsOnly(spark, mart, sums, summary, changedRows, ordersNow, linesNow, started);
            }
            // Each group's figures are sums over its orders, so a group changes by what its touched
            // orders contributed before (the inputs at the snapshots the last run read) and contribute
            // now. Only the touched orders and their lines are read: the scans are filtered on their
            // ids and on the id ranges they fall in, which Iceberg prunes files and row groups by.
            // Chosen by measurement: with 2,000 changed orders this read took 2.6 s at 20,000 orders and 3.1 s at 100,000
            // (an IN list measured no slower than a broadcast semi-join), where recomputing the groups reads all their orders.
            Column filter = orderIdFilter(touched);
            view(spark, scan(spark, orders, ordersThen).where(filter), "ls_rev_orders_then", views);
            view(spark, scan(spark, lines, linesThen).where(filter), "ls_rev_lines_then", views);
            view(spark, scan(spark, orders, ordersNow).where(filter), "ls_rev_orders_now", views);
            view(spark, scan(spark, lines, linesNow).where(filter), "ls_rev_lines_now", views);
            view(spark, scan(spark, sums, -1), "ls_rev_sums", views);
            DataType amountType = spark.table("ls_rev_sums").schema().apply("amount").dataType();
            List<Row> changed = spark.sql("""
                    WITH ls_rev_delta AS (
                        SELECT customer_id, order_date, sum(d_orders) AS d_orders, sum(d_priced) AS d_priced,
                               sum(d_amount) AS d_amount
                        FROM (
                            SELECT customer_id, order_date, 1 AS d_orders, priced AS d_priced, amount AS d_amount FROM (%s)
                            UNION ALL
                            SELECT customer_id, order_date, -1, -priced, -amount FROM (%s))
                        GROUP BY customer_id, order_date)
                    SELECT d.customer_id, d.order_date,
                           coalesce(s.orders, 0) + d.d_orders AS orders,
                           coalesce(s.priced, 0) + d.d_priced AS priced,
                           CASE WHEN coalesce(s.priced, 0) + d.d_priced > 0
                                THEN CAST(coalesce(s.amount, 0) + coalesce(d.d_amount, 0) AS %s) END AS amount
                    FROM ls_rev_delta d LEFT JOIN ls_rev_sums s
                      ON s.customer_id <=> d.customer_id AND s.order_date <=> d.order_date
                    WHERE d.d_orders <> 0 OR d.d_priced <> 0 OR coalesce(d.d_amount, 0) <> 0
                    """.formatted(contributionQuery("ls_rev_orders_now", "ls_rev_lines_now"),
                    contributionQuery("ls_rev_orders_then", "ls_rev_lines_then"), amountType.sql())).collectAsList();
            long read = System.currentTimeMillis();
            if (changed.isEmpty()) {
                // Only figures-neutral changes (a status update, say): record the new positions only.
                return recordPositionsOnly(spark, mart, sums, summary, changedRows, ordersNow, linesNow, started);
            }
            StructType ordersSchema = spark.table("ls_rev_orders_now").schema();
            StructType sourceSchema = new StructType(new StructField[] {
                field(ordersSchema, "customer_id"), field(ordersSchema, "order_date"),
                DataTypes.createStructField("orders", DataTypes.LongType, false),
                DataTypes.createStructField("priced", DataTypes.LongType, false),
                DataTypes.createStructField("amount", amountType, true)});
            // Collected first: both MERGEs apply the same figures, whatever the first one commits.
            view(spark, spark.createDataFrame(changed, sourceSchema), "ls_rev_changed_groups", views);
            String on = " ON t.customer_id <=> s.customer_id AND t.order_date <=> s.order_date";
            // A group with no orders left is deleted from both tables.
            String mergeSums = "MERGE INTO " + sums + " t USING ls_rev_changed_groups s" + on
                    + " WHEN MATCHED AND s.orders = 0 THEN DELETE"
                    + " WHEN MATCHED THEN UPDATE SET t.orders = s.orders, t.priced = s.priced, t.amount = s.amount"
                    + " WHEN NOT MATCHED AND s.orders > 0 THEN INSERT (customer_id, order_date, orders, priced, amount)"
                    + " VALUES (s.customer_id, s.order_date, s.orders, s.priced, s.amount)";
            String revenue = "CAST(round(s.amount, 2) AS DECIMAL(18,2))";
            String mergeMart = "MERGE INTO " + mart + " t USING ls_rev_changed_groups s" + on
                    + " WHEN MATCHED AND s.orders = 0 THEN DELETE"
                    + " WHEN MATCHED THEN UPDATE SET t.orders = s.orders, t.revenue = " + revenue
                    + " WHEN NOT MATCHED AND s.orders > 0 THEN INSERT (customer_id, order_date, orders, revenue)"
                    + " VALUES (s.customer_id, s.order_date, s.orders, " + revenue + ")";
            // The sums first, the mart last: a run that stops between the two leaves them at different
            // inputs, and the next run recomputes both in full.
            CommitMetadata.withCommitProperties(summary, () -> spark.sql(mergeSums), RuntimeException.class);
            long sumsMerged = System.currentTimeMillis();
            CommitMetadata.withCommitProperties(summary, () -> spark.sql(mergeMart), RuntimeException.class);
            long merged = System.currentTimeMillis();
            String steps = String.format(Locale.ROOT, "%,d order(s) touched; state and changes %d ms, touched orders read %d ms,"
                    + " sums merged %d ms, mart merged %d ms", touched.size(), changesRead - started, read - changesRead,
                    sumsMerged - read, merged - sumsMerged);
            Run run = new Run(mart, "incremental", martRows(spark, mart), changed.size(), changedRows, ordersNow, linesNow, null,
                    System.currentTimeMillis() - started, steps);
            LOG.info("Daily revenue: {} ({})", run.summaryLine(), steps);
            return run;
        } finally {
            views.forEach(spark.catalog()::dropTempView);
        }
    }

    /** Nothing that moves a figure changed (compaction, status updates, no commits): records the new positions only. */
    private static Run recordPositionsOnly(SparkSession spark, String mart, String sums, Map<String, String> summary,
            long changedRows, long ordersNow, long linesNow, long started) {
        for (String table : List.of(sums, mart)) {
            var append = load(spark, table).newAppend();
            summary.forEach(append::set);
            append.commit();
        }
        Run run = new Run(mart, "incremental", martRows(spark, mart), 0, changedRows, ordersNow, linesNow, null,
                System.currentTimeMillis() - started, "");
        LOG.info("Daily revenue: {}", run.summaryLine());
        return run;
    }

    /**
     * The order ids of rows an equality delete on other columns than {@code order_id} removed
     * (a table without a key, deleted by its row key): looked up among the rows of the snapshot the
     * last run read. This scans that snapshot; the streaming job's usual deletes, by key, need no lookup.
     */
    private static Set<Object> orderIdsOfDeletedKeys(SparkSession spark, String table, long snapshotId,
            SnapshotChanges.Result changes) {
        if (changes.deletedKeys().isEmpty()) {
            return Set.of();
        }
        StructType keySchema = SparkSchemaUtil.convert(changes.deletedKeySchema());
        List<Row> keys = new ArrayList<>();
        for (Record r : changes.deletedKeys()) {
            Object[] values = new Object[keySchema.fields().length];
            for (int i = 0; i < values.length; i++) {
                values[i] = spark(r.getField(keySchema.fields()[i].name()));
            }
            keys.add(RowFactory.create(values));
        }
        Dataset<Row> deleted = broadcast(spark.createDataFrame(keys, keySchema));
        Dataset<Row> rows = scan(spark, table, snapshotId);
        Column on = null;
        for (String key : keySchema.fieldNames()) {
            Column equal = rows.col(key).eqNullSafe(deleted.col(key));
            on = on == null ? equal : on.and(equal);
        }
        Set<Object> ids = new HashSet<>();
        for (Row r : rows.join(deleted, on, "left_semi").select("order_id").distinct().collectAsList()) {
            ids.add(r.get(0));
        }
        return ids;
    }

    /**
     * {@code order_id} in {@code ids}, and, for integer ids, within the few ranges that hold them:
     * Iceberg prunes by ranges (files, row groups and partitions by their bounds) but not by a list
     * of more than 200 values.
     */
    static Column orderIdFilter(Set<Object> ids) {
        Column in = col("order_id").isInCollection(ids);
        if (!ids.stream().allMatch(v -> v instanceof Long || v instanceof Integer)) {
            return in;
        }
        long[] sorted = ids.stream().mapToLong(v -> ((Number) v).longValue()).sorted().toArray();
        Column ranges = null;
        for (long[] range : ranges(sorted, MAX_RANGES)) {
            Column between = col("order_id").between(range[0], range[1]);
            ranges = ranges == null ? between : ranges.or(between);
        }
        return ranges.and(in);
    }

    /** At most {@code max} ranges covering the sorted values, split at the widest gaps between them. */
    static List<long[]> ranges(long[] sorted, int max) {
        Integer[] gaps = new Integer[Math.max(0, sorted.length - 1)];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = i;
        }
        Arrays.sort(gaps, (a, b) -> Long.compare(sorted[b + 1] - sorted[b], sorted[a + 1] - sorted[a]));
        boolean[] cut = new boolean[gaps.length];
        for (int i = 0; i < Math.min(max - 1, gaps.length); i++) {
            if (sorted[gaps[i] + 1] - sorted[gaps[i]] > 1) {
                cut[gaps[i]] = true;
            }
        }
        List<long[]> ranges = new ArrayList<>();
        int first = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == sorted.length - 1 || cut[i]) {
                ranges.add(new long[] {sorted[first], sorted[i]});
                first = i + 1;
            }
        }
        return ranges;
    }

    /**
     * Registers {@code data} as temporary view {@code name} and notes it for dropping. A broadcast
     * hint belongs only on a view every use of which is a join side: Spark warns about any other.
     */
    private static void view(SparkSession spark, Dataset<Row> data, String name, List<String> views) {
        data.createOrReplaceTempView(name);
        views.add(name);
    }

    /**
     * A new mart table: format v2, and merge-on-read so that an incremental run writes the groups
     * it recomputed and a few delete files instead of rewriting every data file holding one of them.
     */
    private static org.apache.spark.sql.DataFrameWriterV2<Row> martWriter(Dataset<Row> result, String mart,
            Map<String, String> properties) {
        var writer = result.writeTo(mart).using("iceberg");
        for (Map.Entry<String, String> p : properties.entrySet()) {
            writer = writer.tableProperty(p.getKey(), p.getValue());
        }
        return writer
                .tableProperty("format-version", "2")
                .tableProperty("write.merge.mode", "merge-on-read")
                .tableProperty("write.update.mode", "merge-on-read")
                .tableProperty("write.delete.mode", "merge-on-read");
    }

    /**
     * The summary of the mart's newest commit by this job: its input snapshots; null when the mart
     * does not exist or has no such commit.
     */
    static Map<String, String> lastState(SparkSession spark, String mart) {
        if (!spark.catalog().tableExists(mart)) {
            return null;
        }
        Table table = load(spark, mart);
        if (table.currentSnapshot() == null) {
            return null;
        }
        for (Snapshot s : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
            if (JOB.equals(s.summary().get(SnapshotProtection.JOB))) {
                return s.summary();
            }
        }
        return null;
    }

    private static Map<String, String> summary(String namespace, long ordersNow, long linesNow, String mode) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put(SnapshotProtection.JOB, JOB);
        summary.put(MODE, mode);
        summary.put(INPUT_PREFIX + namespace + ".orders.snapshot-id", Long.toString(ordersNow));
        summary.put(INPUT_PREFIX + namespace + ".order_lines.snapshot-id", Long.toString(linesNow));
        return summary;
    }

    /** Rows in the mart, from its snapshot summary: records less position deletes (its MERGEs delete only live rows). */
    private static long martRows(SparkSession spark, String mart) {
        Snapshot current = load(spark, mart).currentSnapshot();
        if (current == null) {
            return 0;
        }
        Map<String, String> s = current.summary();
        return Long.parseLong(s.getOrDefault("total-records", "0")) - Long.parseLong(s.getOrDefault("total-position-deletes", "0"));
    }

    private static long records(Table table) {
        Snapshot current = table.currentSnapshot();
        return current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-records", "0"));
    }

    /**
     * A table at a snapshot (its current one for a negative id), its scan split so that every core
     * reads a share of it: the inputs hold few columns per row, so Iceberg's default 128 MiB split
     * puts a million-row table into one task.
     */
    private static Dataset<Row> scan(SparkSession spark, String table, long snapshotId) {
        Table iceberg = load(spark, table);
        Snapshot read = snapshotId >= 0 ? iceberg.snapshot(snapshotId) : iceberg.currentSnapshot();
        long bytes = read == null ? 0 : Long.parseLong(read.summary().getOrDefault("total-files-size", "0"));
        long split = Math.max(1L << 20, bytes / Math.max(1, 2L * spark.sparkContext().defaultParallelism()) + 1);
        var reader = spark.read().format("iceberg").option(SparkReadOptions.SPLIT_SIZE, Long.toString(split));
        if (snapshotId >= 0) {
            reader = reader.option("versionAsOf", Long.toString(snapshotId));
        }
        return reader.load(table);
    }

    private static long currentId(Table table) {
        table.refresh();
        return table.currentSnapshot() == null ? -1 : table.currentSnapshot().snapshotId();
    }

    private static Table load(SparkSession spark, String name) {
        try {
            Table table = Spark3Util.loadIcebergTable(spark, name);
            table.refresh();
            return table;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load Iceberg table " + name + ": " + e.getMessage(), e);
        }
    }

    private static boolean sameColumns(StructType a, StructType b) {
        if (a.fields().length != b.fields().length) {
            return false;
        }
        for (int i = 0; i < a.fields().length; i++) {
            if (!a.fields()[i].name().equals(b.fields()[i].name())
                    || !a.fields()[i].dataType().sameType(b.fields()[i].dataType())) {
                return false;
            }
        }
        return true;
    }

    private static StructField field(StructType schema, String name) {
        StructField f = schema.apply(name);
        return DataTypes.createStructField(f.name(), f.dataType(), true);
    }

    /** An Iceberg generic value as the Java value Spark expects for the same type. */
    static Object spark(Object value) {
        if (value instanceof LocalDate d) {
            return java.sql.Date.valueOf(d);
        }
        if (value instanceof OffsetDateTime t) {
            return java.sql.Timestamp.from(t.toInstant());
        }
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return bytes;
        }
        return value;
    }

    /** {@code lakeshift batch run daily-revenue}. */
    static final class Job implements BatchJob {

        @Override
        public String name() {
            return "daily-revenue";
        }

        @Override
        public String description() {
            return "daily revenue per customer from orders and order_lines (--mode incremental|full)";
        }

        @Override
        public Set<String> options() {
            return OPTIONS;
        }

        @Override
        public String run(SparkSession spark, LakeshiftConfig config, JobArguments arguments) {
            String defaultNamespace = config.sources().isEmpty() ? "retail" : config.sources().get(0).name();
            Run run = DailyRevenueJob.run(spark, config.catalog().name(), arguments.option("namespace", defaultNamespace),
                    arguments.option("target", "marts.daily_revenue"), Mode.parse(arguments.option("mode", "incremental")));
            return run.summaryLine();
        }
    }
}
