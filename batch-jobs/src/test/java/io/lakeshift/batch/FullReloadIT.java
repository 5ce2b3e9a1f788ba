package io.lakeshift.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.jdbc.Lsn;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.TableBootstrap;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The legacy full reload against a real PostgreSQL that keeps changing while it is read: every
 * partition sees the same snapshot, the Iceberg table is replaced in one commit, and the commit
 * records the source position of that snapshot.
 */
class FullReloadIT {

    private static final int ROWS = 2_000;
    private static final String PASSWORD = "reload-pw-93b1";

    private static EmbeddedPostgres pg;
    private static LakeshiftConfig config;
    private static PipelineConfig pipeline;

    @BeforeAll
    static void startSource() throws Exception {
        pg = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical").setServerConfig("max_replication_slots", "8")
                .setServerConfig("max_wal_senders", "8").setServerConfig("timezone", "UTC").start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE lakeshift WITH LOGIN REPLICATION PASSWORD '" + PASSWORD + "'");
            st.execute("CREATE DATABASE retail OWNER lakeshift");
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA retail");
            st.execute("CREATE TABLE retail.orders (order_id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                    + " order_date date NOT NULL, total numeric(12,2) NOT NULL, placed_at timestamptz NOT NULL,"
                    + " shipped_at timestamp, note text, tags text[], payload jsonb, ref uuid, paid boolean,"
                    + " version bigint NOT NULL DEFAULT 0)");
            st.execute("INSERT INTO retail.orders (order_id, customer_id, order_date, total, placed_at, shipped_at, note, tags,"
                    + " payload, ref, paid) SELECT i, i % 97, DATE '2026-01-01' + (i % 60), round((i * 1.37)::numeric, 2),"
                    + " TIMESTAMPTZ '2026-01-01 08:00:00+02' + i * INTERVAL '1 minute',"
                    + " CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMP '2026-02-01 10:15:30.123456' + i * INTERVAL '1 second' END,"
                    + " CASE WHEN i % 5 = 0 THEN NULL ELSE 'Zoë Ångström 李 #' || i END, ARRAY['a', 'b' || i],"
                    + " jsonb_build_object('i', i, 'tags', jsonb_build_array('x', i)), md5(i::text)::uuid, i % 2 = 0"
                    + " FROM generate_series(1, " + ROWS + ") i");
        }
        config = SharedSpark.config("sources[0].host=127.0.0.1", "sources[0].port=" + pg.getPort(), "sources[0].database=retail",
                "sources[0].username=lakeshift", "sources[0].password=" + PASSWORD);
        pipeline = config.pipeline("retail.orders").orElseThrow();
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        try (Connection c = connect()) {
            new TableBootstrap(catalog).ensureTable(pipeline, SourceTable.read(c, "retail", "orders"), true);
        } finally {
            IcebergCatalogs.close(catalog);
        }
    }

    @AfterAll
    static void stopSource() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/retail", "lakeshift", PASSWORD);
    }

    @Test
    void everyPartitionReadsTheSameSnapshotWhileTheSourceChanges() throws Exception {
        long sourceRows;
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM retail.orders")) {
            rs.next();
            sourceRows = rs.getLong(1);
        }
        for (SourceSnapshot.Method method : SourceSnapshot.Method.values()) {
            Map<Long, String> commitLsnByVersion = new ConcurrentHashMap<>();
            FullReloadJob.Result result;
            try (Writer writer = Writer.start(commitLsnByVersion)) {
                writer.awaitVersions(3);
                result = FullReloadJob.run(SharedSpark.spark(), config, pipeline, new FullReloadJob.Options(8, null, method, null));
                writer.awaitVersions(writer.version() + 2);
            }
            String t = SharedSpark.table("retail.orders");
            SparkSession spark = SharedSpark.spark();
            spark.sql("REFRESH TABLE " + t);
            Row stats = spark.sql("SELECT count(*), count(DISTINCT version), min(version) FROM " + t).first();
            assertThat(stats.getLong(0)).as(method + ": rows").isEqualTo(sourceRows);
            assertThat(stats.getLong(1)).as(method + ": every row read at the same version").isEqualTo(1);
            assertThat(result.partitions()).isEqualTo(8);
            assertThat(result.rows()).isEqualTo(sourceRows);
            assertThat(result.method()).isEqualTo(method.label());

            // The position: the slot's consistent point is exact, so the next version committed after
            // it. The exported snapshot's LSN is an upper bound read in the same statement: the next
            // version may commit in the instant between the snapshot and the LSN (and then sit exactly
            // at it), but the one after that cannot.
            long seen = stats.getLong(2);
            long firstVersionAfter = method == SourceSnapshot.Method.REPLICATION_SLOT ? seen + 1 : seen + 2;
            long position = Lsn.parse(result.sourcePosition());
            assertThat(Lsn.parse(commitLsnByVersion.get(firstVersionAfter)))
                    .as(method + ": version " + firstVersionAfter + " committed after the recorded position")
                    .isGreaterThan(position);
            Table table = Spark3Util.loadIcebergTable(spark, t);
            Snapshot snapshot = table.currentSnapshot();
            assertThat(snapshot.summary()).containsEntry(FullReloadJob.SOURCE_POSITION, result.sourcePosition())
                    .containsEntry(FullReloadJob.SOURCE_SNAPSHOT, method.label())
                    .containsEntry(FullReloadJob.SOURCE_ROWS, Long.toString(sourceRows))
                    .containsEntry("lakeshift.job", "full-reload-retail.orders");
        }
    }

    @Test
    void withoutTheSharedSnapshotPartitionsWouldDisagree() throws Exception {
        // The control: the same partitioned read with no snapshot import sees several versions.
        Map<Long, String> ignored = new ConcurrentHashMap<>();
        try (Writer writer = Writer.start(ignored)) {
            writer.awaitVersions(writer.version() + 3);
            List<Row> versions = SharedSpark.spark().read().format("jdbc")
                    .option("url", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/retail")
                    .option("user", "lakeshift").option("password", PASSWORD)
                    .option("dbtable", "(SELECT order_id, version, pg_sleep(0.02) AS s FROM retail.orders) q")
                    .option("partitionColumn", "order_id").option("lowerBound", "1").option("upperBound", Integer.toString(ROWS + 1))
                    .option("numPartitions", "8").option("fetchsize", "100")
                    .load().select("version").distinct().collectAsList();
            assertThat(versions.size()).isGreaterThan(1);
        }
    }

    @Test
    void replacesTheTableInOneCommitWithTheSourcesTypes() throws Exception {
        SparkSession spark = SharedSpark.spark();
        String t = SharedSpark.table("retail.orders");
        long before = FullReloadJob.run(spark, config, pipeline, FullReloadJob.Options.defaults()).rows();
        Table table = Spark3Util.loadIcebergTable(spark, t);
        int snapshotsBefore = count(table.snapshots());
        long deleted;
        try (Connection c = connect(); Statement st = c.createStatement()) {
            deleted = st.executeUpdate("DELETE FROM retail.orders WHERE order_id > " + (ROWS - 100));
        }

        FullReloadJob.Result result = FullReloadJob.run(spark, config, pipeline, FullReloadJob.Options.defaults());

        table.refresh();
        assertThat(count(table.snapshots())).isEqualTo(snapshotsBefore + 1);
        assertThat(table.currentSnapshot().operation()).isEqualTo("overwrite");
        assertThat(table.currentSnapshot().summary()).containsEntry("deleted-records", Long.toString(before))
                .containsEntry("added-records", Long.toString(before - deleted));
        assertThat(result.rows()).isEqualTo(before - deleted);

        TableComparator comparator = new TableComparator(spark, "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/retail",
                Map.of("user", "lakeshift", "password", PASSWORD));
        String sourceQuery;
        try (Connection c = connect()) {
            sourceQuery = "(" + FullReloadJob.selectFor(SourceTable.read(c, "retail", "orders")) + ") q";
        }
        TableComparison comparison = comparator.compare("retail.orders", comparator.source(sourceQuery), t);
        assertThat(comparison.matches()).as(comparison.missingSample() + " / " + comparison.extraSample()).isTrue();
        Row sample = spark.sql("SELECT tags, payload, ref, total, placed_at FROM " + t + " WHERE order_id = 7").first();
        assertThat(sample.getString(0)).isEqualTo("[\"a\",\"b7\"]");
        assertThat(sample.getString(1)).isEqualTo("{\"i\": 7, \"tags\": [\"x\", 7]}");
        assertThat(sample.getString(2)).hasSize(36);
        assertThat(sample.getDecimal(3)).isEqualByComparingTo("9.59");
    }

    private static int count(Iterable<?> items) {
        int n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }

    /**
     * Bumps every row's version in one transaction, again and again; remembers the WAL insert
     * position after each commit, an upper bound of where that commit's record ends. (The write
     * position, {@code pg_current_wal_lsn()}, is not: embedded PostgreSQL runs with
     * {@code synchronous_commit=off}, so it can lag behind a commit that is already visible.)
     */
    private static final class Writer implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private final Map<Long, String> commitLsnByVersion;
        private volatile long version;
        private volatile Exception failure;

        private Writer(Map<Long, String> commitLsnByVersion) {
            this.commitLsnByVersion = commitLsnByVersion;
            this.thread = new Thread(this::loop, "source-writer");
        }

        static Writer start(Map<Long, String> commitLsnByVersion) {
            Writer w = new Writer(commitLsnByVersion);
            w.thread.start();
            return w;
        }

        private void loop() {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                while (running.get()) {
                    st.executeUpdate("UPDATE retail.orders SET version = version + 1");
                    try (ResultSet rs = st.executeQuery("SELECT max(version), pg_current_wal_insert_lsn()::text FROM retail.orders")) {
                        rs.next();
                        commitLsnByVersion.put(rs.getLong(1), rs.getString(2));
                        version = rs.getLong(1);
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        long version() {
            return version;
        }

        void awaitVersions(long atLeast) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 120_000;
            while (version < atLeast && failure == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(failure).isNull();
            assertThat(version).isGreaterThanOrEqualTo(atLeast);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(60_000);
            List<Exception> errors = new ArrayList<>();
            if (failure != null) {
                errors.add(failure);
            }
            assertThat(errors).isEmpty();
        }
    }
}
