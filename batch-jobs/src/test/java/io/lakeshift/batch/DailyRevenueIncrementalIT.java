package io.lakeshift.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.lakehouse.MaintenanceSettings;
import io.lakeshift.lakehouse.SnapshotExpiry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The incremental daily revenue mart equals a full recompute after every kind of change the
 * streaming job makes to its inputs (MERGE on merge-on-read tables: inserts, updates that move an
 * order to another customer or day, deletes of orders and of single lines, a group emptied), after
 * compaction rewrote the files those deletes point at, after upserts by equality deletes (the
 * streaming job's usual commit), after copy-on-write updates, after orders deleted and inserted
 * again on another day, orders losing or gaining all their lines, over several runs in a row, and
 * falls back to a full recompute when the snapshots it would continue from were expired or its
 * per-group sums are not at its last run's inputs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DailyRevenueIncrementalIT {

    private static final String NS = "rev";
    private static final String MART = "rev_marts.daily_revenue";
    private static final String FULL = "rev_marts.daily_revenue_full";
    private static final String ORDERS = SharedSpark.table(NS + ".orders");
    private static final String LINES = SharedSpark.table(NS + ".order_lines");

    @BeforeAll
    static void seed() {
        SparkSession spark = SharedSpark.spark();
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lakeshift." + NS);
        String mor = " USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read',"
                + " 'write.update.mode'='merge-on-read', 'write.delete.mode'='merge-on-read')";
        spark.sql("CREATE TABLE " + ORDERS + " (order_id bigint NOT NULL, customer_id bigint NOT NULL, order_date date NOT NULL,"
                + " status string)" + mor);
        spark.sql("CREATE TABLE " + LINES + " (order_id bigint NOT NULL, line_no int NOT NULL, quantity int NOT NULL,"
                + " unit_price decimal(10,2) NOT NULL, discount decimal(5,4))" + mor);
        List<String> orders = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int o = 1; o <= 60; o++) {
            orders.add("(" + o + ", " + (o % 5 + 1) + ", DATE '2026-03-0" + (o % 4 + 1) + "', 'NEW')");
            for (int l = 1; l <= o % 3 + 1; l++) {
                lines.add("(" + o + ", " + l + ", " + (l + o % 4) + ", " + (o * 3 + l) + ".25, "
                        + (o % 7 == 0 ? "NULL" : "0.0" + (l % 5)) + ")");
            }
        }
        spark.sql("INSERT INTO " + ORDERS + " VALUES " + String.join(", ", orders));
        spark.sql("INSERT INTO " + LINES + " VALUES " + String.join(", ", lines));
    }

    @Test
    @Order(1)
    void theFirstRunIsAFullRecompute() {
        DailyRevenueJob.Run run = incremental();

        assertThat(run.mode()).isEqualTo("full");
        assertThat(run.fallbackReason()).contains("no earlier run");
        assertMatchesFullRecompute();
    }

    @Test
    @Order(2)
    void insertsUpdatesAndDeletesThroughMergeOnRead() {
        mergeOrders(List.of(
                "(61, 1, DATE '2026-03-05', 'NEW', 'c')",       // a new order on a new day
                "(3, 2, DATE '2026-03-04', 'PAID', 'u')",       // moves to another customer and day
                "(8, 4, DATE '2026-03-02', 'PAID', 'u')",       // moves to another day only
                "(10, 1, DATE '2026-03-03', 'PAID', 'u')",      // status only: revenue unchanged
                "(12, 3, DATE '2026-03-01', '', 'd')"));         // deleted
        mergeLines(List.of(
                "(61, 1, 2, 10.00, NULL, 'c')",
                "(61, 2, 1, 5.50, 0.1000, 'c')",
                "(20, 1, 9, 99.99, 0.0000, 'u')",                // quantity and price of an unchanged order
                "(12, 1, 0, 0.00, NULL, 'd')",
                "(12, 2, 0, 0.00, NULL, 'd')",
                "(12, 3, 0, 0.00, NULL, 'd')",
                "(23, 3, 0, 0.00, NULL, 'd')"));                 // one line of an order
        // Empty a whole (customer, day) group: every order of customer 5 on 2026-03-01 goes.
        SharedSpark.spark().sql("DELETE FROM " + ORDERS + " WHERE customer_id = 5 AND order_date = DATE '2026-03-01'");

        DailyRevenueJob.Run run = incremental();

        assertThat(run.mode()).isEqualTo("incremental");
        assertThat(run.fallbackReason()).isNull();
        assertThat(run.recomputedGroups()).isBetween(1L, 12L);
        assertMatchesFullRecompute();
    }

    @Test
    @Order(3)
    void deletesPointingAtCompactedFiles() throws Exception {
        new TableMaintenance(SharedSpark.spark(), SharedSpark.CATALOG).run(NS + ".orders",
                MaintenanceSettings.defaults().withSteps(true, false, false, false, false).withMinInputFiles(1)
                        .withDeleteFileThreshold(1));
        new TableMaintenance(SharedSpark.spark(), SharedSpark.CATALOG).run(NS + ".order_lines",
                MaintenanceSettings.defaults().withSteps(true, false, false, false, false).withMinInputFiles(1)
                        .withDeleteFileThreshold(1));
        mergeOrders(List.of(
                "(30, 2, DATE '2026-03-03', 'PAID', 'u')",
                "(31, 1, DATE '2026-03-01', '', 'd')"));
        mergeLines(List.of(
                "(33, 1, 7, 1.00, NULL, 'u')"));

        DailyRevenueJob.Run run = incremental();

        assertThat(run.mode()).isEqualTo("incremental");
        assertMatchesFullRecompute();
    }

    @Test
    @Order(4)
    void upsertsByEqualityDeletesAsTheStreamingJobWritesThem() throws Exception {
        SparkSession spark = SharedSpark.spark();
        Table orders = Spark3Util.loadIcebergTable(spark, ORDERS);
        Table lines = Spark3Util.loadIcebergTable(spark, LINES);
        upsert(orders, List.of("order_id"), List.of(
                order(5, 3, "2026-03-04", "PAID"),                 // moves to another customer and day
                order(62, 2, "2026-03-02", "NEW")),                // new
                List.of(List.of(6L)));                             // deleted
        upsert(lines, List.of("order_id", "line_no"), List.of(
                line(62, 1, 3, "4.50"),
                line(7, 1, 11, "1.00")),                           // quantity and price of an unchanged order
                List.of(List.of(6L, 1), List.of(6L, 2), List.of(6L, 3)));

        DailyRevenueJob.Run run = incremental();

        assertThat(run.mode()).isEqualTo("incremental");
        assertThat(run.fallbackReason()).isNull();
        assertThat(run.recomputedGroups()).isBetween(3L, 8L);
        assertMatchesFullRecompute();
    }

    @Test
    @Order(5)
    void copyOnWriteUpdatesAndNoChangeRuns() {
        SparkSession spark = SharedSpark.spark();
        spark.sql("ALTER TABLE " + ORDERS + " SET TBLPROPERTIES ('write.update.mode'='copy-on-write',"
                + " 'write.delete.mode'='copy-on-write')");
        spark.sql("UPDATE " + ORDERS + " SET customer_id = 4 WHERE order_id IN (40, 41)");
        spark.sql("DELETE FROM " + ORDERS + " WHERE order_id = 42");

        assertThat(incremental().mode()).isEqualTo("incremental");
        assertMatchesFullRecompute();

        DailyRevenueJob.Run nothing = incremental();
        assertThat(nothing.mode()).isEqualTo("incremental");
        assertThat(nothing.recomputedGroups()).isZero();
        assertMatchesFullRecompute();
    }

    @Test
    @Order(6)
    void ordersMovingBetweenDaysThroughDeletesAndInsertsOverSeveralRuns() {
        SparkSession spark = SharedSpark.spark();
        // Deleted, then inserted again on another day and for another customer, with new lines.
        mergeOrders(List.of("(15, 1, DATE '2026-03-04', '', 'd')"));
        mergeLines(List.of("(15, 1, 0, 0.00, NULL, 'd')", "(15, 2, 0, 0.00, NULL, 'd')", "(15, 3, 0, 0.00, NULL, 'd')"));
        mergeOrders(List.of("(15, 2, DATE '2026-03-05', 'NEW', 'c')"));
        mergeLines(List.of("(15, 1, 3, 7.77, 0.0500, 'c')"));
        // Moved to another day while its lines change in the same run; a line moved to another order.
        mergeOrders(List.of("(16, 2, DATE '2026-03-03', 'PAID', 'u')"));
        mergeLines(List.of("(16, 1, 4, 2.10, NULL, 'u')", "(17, 9, 1, 3.33, NULL, 'c')"));
        spark.sql("DELETE FROM " + LINES + " WHERE order_id = 18 AND line_no = 1");
        // An order that loses all its lines stays in orders but no longer counts.
        spark.sql("DELETE FROM " + LINES + " WHERE order_id = 19");
        // An order without lines yet: it counts only once they come.
        mergeOrders(List.of("(80, 3, DATE '2026-03-02', 'NEW', 'c')"));

        DailyRevenueJob.Run first = incremental();

        assertThat(first.mode()).isEqualTo("incremental");
        assertThat(first.fallbackReason()).isNull();
        assertMatchesFullRecompute();

        mergeLines(List.of("(80, 1, 2, 12.34, 0.2500, 'c')"));
        mergeOrders(List.of("(80, 4, DATE '2026-03-01', 'PAID', 'u')", "(16, 2, DATE '2026-03-01', 'PAID', 'u')"));
        spark.sql("INSERT INTO " + ORDERS + " VALUES (81, 5, DATE '2026-03-06', 'NEW')");
        spark.sql("INSERT INTO " + LINES + " VALUES (81, 1, 1, 0.01, NULL)");

        DailyRevenueJob.Run second = incremental();

        assertThat(second.mode()).isEqualTo("incremental");
        assertThat(second.recomputedGroups()).isBetween(3L, 6L);
        assertMatchesFullRecompute();
    }

    @Test
    @Order(7)
    void recomputesInFullWhenItsSumsDoNotMatchItsLastRun() {
        SparkSession spark = SharedSpark.spark();
        spark.sql("DROP TABLE " + SharedSpark.table(MART + DailyRevenueJob.SUMS_SUFFIX));
        spark.sql("INSERT INTO " + ORDERS + " VALUES (82, 1, DATE '2026-03-01', 'NEW')");
        spark.sql("INSERT INTO " + LINES + " VALUES (82, 1, 2, 5.00, NULL)");

        DailyRevenueJob.Run run = incremental();

        assertThat(run.mode()).isEqualTo("full");
        assertThat(run.fallbackReason()).contains("per-group sums");
        assertMatchesFullRecompute();
        spark.sql("INSERT INTO " + LINES + " VALUES (82, 2, 1, 1.00, NULL)");
        assertThat(incremental().mode()).isEqualTo("incremental");
        assertMatchesFullRecompute();
    }

    @Test
    @Order(8)
    void recomputesInFullWhenItsStartingSnapshotWasExpired() throws Exception {
        SparkSession spark = SharedSpark.spark();
        spark.sql("INSERT INTO " + ORDERS + " VALUES (70, 2, DATE '2026-03-02', 'NEW')");
        spark.sql("INSERT INTO " + LINES + " VALUES (70, 1, 1, 70.00, NULL)");
        Table orders = Spark3Util.loadIcebergTable(spark, ORDERS);
        SnapshotExpiry.expire(orders, Duration.ZERO, 1, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)));

        DailyRevenueJob.Run run = incremental();

        assertThat(run.mode()).isEqualTo("full");
        assertThat(run.fallbackReason()).contains("expired");
        assertMatchesFullRecompute();
    }

    /**
     * One row delta as the streaming apply job commits an upsert: an equality delete of every key
     * (the upserted and the deleted ones) and the new rows, written by Iceberg's generic writers.
     */
    private static void upsert(Table table, List<String> key, List<Record> rows, List<List<Object>> deleted) throws Exception {
        Schema keySchema = table.schema().select(key);
        int[] keyIds = keySchema.columns().stream().mapToInt(f -> f.fieldId()).toArray();
        FileWriterFactory<Record> writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET)
                .dataSchema(table.schema()).deleteFileFormat(FileFormat.PARQUET).equalityFieldIds(keyIds)
                .equalityDeleteRowSchema(keySchema).build();
        OutputFileFactory files = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET).build();
        DataWriter<Record> data = writers.newDataWriter(files.newOutputFile(), table.spec(), null);
        EqualityDeleteWriter<Record> deletes = writers.newEqualityDeleteWriter(files.newOutputFile(), table.spec(), null);
        try (data; deletes) {
            for (Record row : rows) {
                data.write(row);
                Record k = GenericRecord.create(keySchema);
                key.forEach(c -> k.setField(c, row.getField(c)));
                deletes.write(k);
            }
            for (List<Object> values : deleted) {
                Record k = GenericRecord.create(keySchema);
                for (int i = 0; i < key.size(); i++) {
                    k.setField(key.get(i), values.get(i));
                }
                deletes.write(k);
            }
        }
        table.newRowDelta().addRows(data.toDataFile()).addDeletes(deletes.toDeleteFile()).commit();
    }

    private static Record order(long id, long customer, String day, String status) {
        Record r = GenericRecord.create(icebergSchema(ORDERS));
        r.setField("order_id", id);
        r.setField("customer_id", customer);
        r.setField("order_date", java.time.LocalDate.parse(day));
        r.setField("status", status);
        return r;
    }

    private static Record line(long order, int lineNo, int quantity, String unitPrice) {
        Record r = GenericRecord.create(icebergSchema(LINES));
        r.setField("order_id", order);
        r.setField("line_no", lineNo);
        r.setField("quantity", quantity);
        r.setField("unit_price", new java.math.BigDecimal(unitPrice));
        r.setField("discount", null);
        return r;
    }

    private static Schema icebergSchema(String table) {
        try {
            return Spark3Util.loadIcebergTable(SharedSpark.spark(), table).schema();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static DailyRevenueJob.Run incremental() {
        return DailyRevenueJob.run(SharedSpark.spark(), SharedSpark.CATALOG, NS, MART, DailyRevenueJob.Mode.INCREMENTAL);
    }

    private static void assertMatchesFullRecompute() {
        SparkSession spark = SharedSpark.spark();
        DailyRevenueJob.run(spark, SharedSpark.CATALOG, NS, FULL, DailyRevenueJob.Mode.FULL);
        spark.sql("REFRESH TABLE " + SharedSpark.table(MART));
        spark.sql("REFRESH TABLE " + SharedSpark.table(FULL));
        Dataset<Row> incremental = spark.table(SharedSpark.table(MART));
        Dataset<Row> full = spark.table(SharedSpark.table(FULL));
        Dataset<Row> direct = spark.sql(DailyRevenueJob.revenueQuery(ORDERS, LINES));
        assertThat(incremental.exceptAll(full).collectAsList()).as("rows only in the incremental mart").isEmpty();
        assertThat(full.exceptAll(incremental).collectAsList()).as("rows missing from the incremental mart").isEmpty();
        assertThat(direct.exceptAll(incremental).count() + incremental.exceptAll(direct).count()).isZero();
        assertThat(incremental.count()).isPositive();
    }

    /** A MERGE shaped like the streaming job's: the last value of each change is the op (c, u, d). */
    private static void merge(String table, List<String> key, List<String> columns, List<String> changes) {
        SparkSession spark = SharedSpark.spark();
        List<String> select = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            select.add("col" + (i + 1) + " AS " + columns.get(i));
        }
        select.add("col" + (columns.size() + 1) + " AS op");
        spark.sql("SELECT " + String.join(", ", select) + " FROM VALUES " + String.join(", ", changes))
                .createOrReplaceTempView("rev_changes");
        String on = String.join(" AND ", key.stream().map(k -> "t." + k + " = s." + k).toList());
        String set = String.join(", ", columns.stream().map(c -> "t." + c + " = s." + c).toList());
        String values = String.join(", ", columns.stream().map(c -> "s." + c).toList());
        spark.sql("MERGE INTO " + table + " t USING rev_changes s ON " + on
                + " WHEN MATCHED AND s.op = 'd' THEN DELETE WHEN MATCHED THEN UPDATE SET " + set
                + " WHEN NOT MATCHED AND s.op <> 'd' THEN INSERT (" + String.join(", ", columns) + ") VALUES (" + values + ")");
    }

    private static void mergeOrders(List<String> changes) {
        merge(ORDERS, List.of("order_id"), List.of("order_id", "customer_id", "order_date", "status"), changes);
    }

    private static void mergeLines(List<String> changes) {
        merge(LINES, List.of("order_id", "line_no"), List.of("order_id", "line_no", "quantity", "unit_price", "discount"), changes);
    }
}
