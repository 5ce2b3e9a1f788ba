package io.lakeshift.batch;

import static org.apache.spark.sql.functions.broadcast;
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
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
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
 * ({@code lakeshift.input.<table>.snapshot-id}). An incremental run reads only the rows of the
 * inputs that changed since those snapshots ({@link SnapshotChanges}: inserts, updates and deletes,
 * merge-on-read position deletes included), derives the (customer, day) groups those rows belonged
 * to before and after, recomputes exactly those groups from the current inputs, and MERGEs them
 * into the mart, deleting groups that have no orders left. The result equals a full recompute.
 * When it cannot know what changed (first run, an input rolled back or its snapshots expired,
 * equality deletes, too many changes), it recomputes in full and says why.
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
     */
    public record Run(String mart, String mode, long rows, long recomputedGroups, long changedRows, long ordersSnapshot,
            long linesSnapshot, String fallbackReason, long durationMs) {

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

        String fallback = null;
        if (mode == Mode.INCREMENTAL) {
            Map<String, String> state = lastState(spark, mart);
            String ordersKey = INPUT_PREFIX + namespace + ".orders.snapshot-id";
            String linesKey = INPUT_PREFIX + namespace + ".order_lines.snapshot-id";
            if (state == null || !state.containsKey(ordersKey) || !state.containsKey(linesKey)) {
                fallback = "the mart has no earlier run to continue from";
            } else {
                // Beyond a quarter of the rows changed, recomputing everything is cheaper; scanning the key
                // columns of every input file once costs less than the full join and aggregation.
                long records = records(ordersTable) + records(linesTable);
                long maxChanged = Math.max(10_000, records / 4);
                long maxScanned = Math.max(100_000, 2 * records);
                SnapshotChanges.Result orderChanges = SnapshotChanges.between(ordersTable, Long.parseLong(state.get(ordersKey)),
                        ordersNow, List.of("order_id", "customer_id", "order_date"), maxChanged, maxScanned);
                SnapshotChanges.Result lineChanges = orderChanges.complete()
                        ? SnapshotChanges.between(linesTable, Long.parseLong(state.get(linesKey)), linesNow, List.of("order_id"),
                                maxChanged - orderChanges.rows().size() - orderChanges.deletedKeys().size(),
                                maxScanned - orderChanges.rowsRead())
                        : orderChanges;
                if (orderChanges.complete() && lineChanges.complete()) {
                    return incremental(spark, namespace, orders, lines, mart, Long.parseLong(state.get(ordersKey)), ordersNow,
                            linesNow, orderChanges, lineChanges, started);
                }
                fallback = orderChanges.complete() ? lineChanges.fallbackReason() : orderChanges.fallbackReason();
            }
            LOG.info("Daily revenue: recomputing {} in full because {}", mart, fallback);
        }
        return full(spark, namespace, orders, lines, mart, ordersNow, linesNow, fallback, started);
    }

    private static Run full(SparkSession spark, String namespace, String orders, String lines, String mart, long ordersNow,
            long linesNow, String fallback, long started) {
        scan(spark, orders, ordersNow).createOrReplaceTempView("ls_rev_full_orders");
        scan(spark, lines, linesNow).createOrReplaceTempView("ls_rev_full_lines");
        Dataset<Row> result = spark.sql(revenueQuery("ls_rev_full_orders", "ls_rev_full_lines"));
        Map<String, String> summary = summary(namespace, ordersNow, linesNow, "full");
        CommitMetadata.withCommitProperties(summary, () -> {
            if (!spark.catalog().tableExists(mart)) {
                martWriter(result, mart).create();
            } else if (sameColumns(spark.table(mart).schema(), result.schema())) {
                result.writeTo(mart).overwrite(lit(true));
            } else {
                martWriter(result, mart).createOrReplace();
            }
            return null;
        }, RuntimeException.class);
        spark.catalog().dropTempView("ls_rev_full_orders");
        spark.catalog().dropTempView("ls_rev_full_lines");
        long rows = martRows(spark, mart);
        Run run = new Run(mart, "full", rows, rows, 0, ordersNow, linesNow, fallback, System.currentTimeMillis() - started);
        LOG.info("Daily revenue: {}", run.summaryLine());
        return run;
    }

    private static Run incremental(SparkSession spark, String namespace, String orders, String lines, String mart,
            long ordersThen, long ordersNow, long linesNow, SnapshotChanges.Result orderChanges, SnapshotChanges.Result lineChanges,
            long started) {
        StructType ordersSchema = spark.table(orders).schema();
        StructType groupSchema = new StructType(new StructField[] {
            field(ordersSchema, "customer_id"), field(ordersSchema, "order_date")});
        StructType idSchema = new StructType(new StructField[] {field(ordersSchema, "order_id")});
        List<Row> changedGroups = new ArrayList<>();
        for (Record r : orderChanges.rows()) {
            changedGroups.add(RowFactory.create(spark(r.getField("customer_id")), spark(r.getField("order_date"))));
        }
        List<Row> deletedOrders = new ArrayList<>();
        for (Record r : orderChanges.deletedKeys()) {
            deletedOrders.add(RowFactory.create(spark(r.getField("order_id"))));
        }
        List<Row> changedLineOrders = new ArrayList<>();
        for (Record r : lineChanges.rows()) {
            changedLineOrders.add(RowFactory.create(spark(r.getField("order_id"))));
        }
        Map<String, String> summary = summary(namespace, ordersNow, linesNow, "incremental");
        long changedRows = orderChanges.rowsRead() + lineChanges.rowsRead();
        List<String> views = new ArrayList<>();
        try {
            // The changes are small next to the inputs: every join with an input broadcasts its
            // small side (the changes, the groups, the affected orders), so each input is scanned
            // once per use without a shuffle.
            view(spark, spark.createDataFrame(changedGroups, groupSchema), "ls_rev_changed_groups", views);
            view(spark, broadcast(spark.createDataFrame(deletedOrders, idSchema)), "ls_rev_deleted_orders", views);
            view(spark, broadcast(spark.createDataFrame(changedLineOrders, idSchema)), "ls_rev_changed_line_orders", views);
            view(spark, scan(spark, orders, ordersThen).select("order_id", "customer_id", "order_date"), "ls_rev_orders_then", views);
            view(spark, scan(spark, orders, ordersNow).select("order_id", "customer_id", "order_date"), "ls_rev_orders_now", views);
            view(spark, scan(spark, lines, linesNow), "ls_rev_lines_now", views);
            // One job: the groups changed rows belong to now or belonged to before (the old versions
            // of the orders upserts replaced are in the snapshot the last run read), plus the groups
            // of orders whose lines changed; then those groups recomputed from the current inputs.
            // Each group comes back once as a bare key (ls_recomputed = false) and, unless it has
            // no orders left, once with its figures: the input scans are shared, and the driver
            // learns both the groups and their new rows from one collect.
            List<Row> collected = spark.sql("""
                    WITH ls_rev_groups AS (
                        SELECT DISTINCT customer_id, order_date FROM (
                            SELECT customer_id, order_date FROM ls_rev_changed_groups
                            UNION ALL
                            SELECT o.customer_id, o.order_date FROM ls_rev_orders_then o
                            LEFT SEMI JOIN ls_rev_deleted_orders d ON o.order_id = d.order_id
                            UNION ALL
                            SELECT o.customer_id, o.order_date FROM ls_rev_orders_now o
                            LEFT SEMI JOIN ls_rev_changed_line_orders c ON o.order_id = c.order_id)),
                    ls_rev_affected_orders AS (
                        SELECT /*+ BROADCAST(g) */ o.* FROM ls_rev_orders_now o
                        LEFT SEMI JOIN ls_rev_groups g ON o.customer_id <=> g.customer_id AND o.order_date <=> g.order_date),
                    ls_rev_affected_lines AS (
                        SELECT /*+ BROADCAST(a) */ l.* FROM ls_rev_lines_now l
                        LEFT SEMI JOIN ls_rev_affected_orders a ON l.order_id = a.order_id),
                    ls_rev_recomputed AS (%s)
                    SELECT customer_id, order_date, CAST(NULL AS BIGINT) AS orders, CAST(NULL AS DECIMAL(18,2)) AS revenue,
                           false AS ls_recomputed
                    FROM ls_rev_groups
                    UNION ALL
                    SELECT customer_id, order_date, orders, revenue, true AS ls_recomputed FROM ls_rev_recomputed
                    """.formatted(revenueQuery("ls_rev_affected_orders", "ls_rev_affected_lines"))).collectAsList();
            // A group with no orders left gets no recomputed row: its bare key deletes it from the mart.
            Map<List<Object>, Row> mergeSource = new LinkedHashMap<>();
            int groups = 0;
            for (Row r : collected) {
                if (!r.getBoolean(4)) {
                    mergeSource.putIfAbsent(Arrays.asList(r.get(0), r.get(1)), RowFactory.create(r.get(0), r.get(1), null, null));
                    groups++;
                }
            }
            for (Row r : collected) {
                if (r.getBoolean(4)) {
                    mergeSource.put(Arrays.asList(r.get(0), r.get(1)), RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3)));
                }
            }
            if (groups == 0) {
                // Nothing that matters changed (compaction, or no commits): record the new positions only.
                Table martTable = load(spark, mart);
                var append = martTable.newAppend();
                summary.forEach(append::set);
                append.commit();
                Run run = new Run(mart, "incremental", martRows(spark, mart), 0, changedRows, ordersNow, linesNow, null,
                        System.currentTimeMillis() - started);
                LOG.info("Daily revenue: {}", run.summaryLine());
                return run;
            }
            StructType mergeSchema = new StructType(new StructField[] {
                groupSchema.fields()[0], groupSchema.fields()[1],
                DataTypes.createStructField("orders", DataTypes.LongType, true),
                DataTypes.createStructField("revenue", DataTypes.createDecimalType(18, 2), true)});
            view(spark, spark.createDataFrame(new ArrayList<>(mergeSource.values()), mergeSchema), "ls_rev_merge_source", views);
            String merge = "MERGE INTO " + mart + " t USING ls_rev_merge_source s"
                    + " ON t.customer_id <=> s.customer_id AND t.order_date <=> s.order_date"
                    + " WHEN MATCHED AND s.orders IS NULL THEN DELETE"
                    + " WHEN MATCHED THEN UPDATE SET t.orders = s.orders, t.revenue = s.revenue"
                    + " WHEN NOT MATCHED AND s.orders IS NOT NULL THEN INSERT (customer_id, order_date, orders, revenue)"
                    + " VALUES (s.customer_id, s.order_date, s.orders, s.revenue)";
            CommitMetadata.withCommitProperties(summary, () -> spark.sql(merge), RuntimeException.class);
            Run run = new Run(mart, "incremental", martRows(spark, mart), groups, changedRows, ordersNow, linesNow, null,
                    System.currentTimeMillis() - started);
            LOG.info("Daily revenue: {}", run.summaryLine());
            return run;
        } finally {
            views.forEach(spark.catalog()::dropTempView);
        }
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
    private static org.apache.spark.sql.DataFrameWriterV2<Row> martWriter(Dataset<Row> result, String mart) {
        return result.writeTo(mart).using("iceberg")
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
