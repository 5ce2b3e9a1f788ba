package io.lakeshift.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.lakehouse.CommitConflicts;
import io.lakeshift.lakehouse.MaintenanceSettings;
import io.lakeshift.lakehouse.SnapshotExpiry;
import io.lakeshift.lakehouse.SnapshotProtection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance racing a streaming writer: one thread MERGEs change batches into a merge-on-read
 * table the way the streaming apply job does (updates, deletes, inserts, each commit marked with
 * the job and batch id), another compacts, rewrites deletes and expires snapshots in a loop. Every
 * commit goes through Iceberg's conflict detection; a MERGE that lost the race to a compaction is
 * run again. Afterwards the table holds exactly the expected rows, none lost, none duplicated, and
 * the writer's last batch marker is still there.
 */
class MaintenanceConcurrencyIT {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceConcurrencyIT.class);
    private static final String JOB = "apply-race";
    private static final int BATCHES = 12;

    @Test
    void noRowIsLostOrDuplicatedWhenCompactionRacesMerges() throws Exception {
        SparkSession spark = SharedSpark.spark();
        String name = "race.orders";
        String t = SharedSpark.table(name);
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lakeshift.race");
        spark.sql("CREATE TABLE " + t + " (id bigint NOT NULL, v bigint, batch bigint) USING iceberg TBLPROPERTIES"
                + " ('format-version'='2', 'write.merge.mode'='merge-on-read', 'write.update.mode'='merge-on-read',"
                + " 'write.delete.mode'='merge-on-read', 'commit.retry.num-retries'='10')");
        Map<Long, long[]> expected = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            StringBuilder values = new StringBuilder();
            for (long id = i * 20L; id < i * 20L + 20; id++) {
                values.append(values.length() == 0 ? "" : ", ").append("(").append(id).append(", 0, -1)");
                expected.put(id, new long[] {0, -1});
            }
            spark.sql("INSERT INTO " + t + " VALUES " + values);
        }

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger mergeRetries = new AtomicInteger();
        AtomicInteger passes = new AtomicInteger();
        List<Long> mergeCommitTimes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int batch = 0; batch < BATCHES; batch++) {
                        applyBatch(spark, t, batch, expected, mergeRetries);
                        mergeCommitTimes.add(System.currentTimeMillis());
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            Future<?> maintenance = pool.submit(() -> {
                TableMaintenance maintain = new TableMaintenance(spark, SharedSpark.CATALOG);
                MaintenanceSettings settings = MaintenanceSettings.defaults().withSteps(true, true, true, false, false)
                        .withMinInputFiles(2).withDeleteFileThreshold(1).withSnapshotRetention(Duration.ofMinutes(10), 1)
                        .withConflictRetries(5);
                while (writing.get()) {
                    MaintenanceReport report = maintain.run(name, settings);
                    passes.incrementAndGet();
                    LOG.info("Race: {}", report.summaryLine());
                }
                return null;
            });
            writer.get(15, TimeUnit.MINUTES);
            maintenance.get(15, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }

        spark.sql("REFRESH TABLE " + t);
        List<Row> rows = spark.sql("SELECT id, v, batch FROM " + t).collectAsList();
        Map<Long, long[]> actual = new TreeMap<>();
        for (Row r : rows) {
            actual.put(r.getLong(0), new long[] {r.getLong(1), r.getLong(2)});
        }
        assertThat(rows).hasSize(expected.size());
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        assertThat(format(actual)).isEqualTo(format(expected));

        Table table = Spark3Util.loadIcebergTable(spark, t);
        List<Snapshot> history = new ArrayList<>();
        table.snapshots().forEach(history::add);
        long firstMerge = mergeCommitTimes.get(0);
        long lastMerge = mergeCommitTimes.get(mergeCommitTimes.size() - 1);
        long interleaved = history.stream().filter(s -> DataOperations.REPLACE.equals(s.operation()))
                .filter(s -> s.timestampMillis() > firstMerge && s.timestampMillis() < lastMerge).count();
        LOG.info("Race: {} maintenance passes, {} MERGE retries after lost races, {} compaction commits between MERGEs",
                passes.get(), mergeRetries.get(), interleaved);
        assertThat(passes.get()).isPositive();
        assertThat(interleaved).as("compaction commits landed between the writer's commits").isPositive();

        // Expire everything expirable now that the writer is done: its newest batch marker survives.
        SnapshotExpiry.expire(table, Duration.ZERO, 1, Clock.systemUTC());
        table.refresh();
        assertThat(MaintenanceIT.lastBatch(table, JOB)).isEqualTo(BATCHES - 1);
    }

    /** One change batch: update ten rows, delete two, insert three; expected state follows the committed MERGE. */
    private static void applyBatch(SparkSession spark, String t, int batch, Map<Long, long[]> expected, AtomicInteger retries)
            throws Exception {
        List<String> changes = new ArrayList<>();
        Map<Long, long[]> after = new TreeMap<>(expected);
        List<Long> ids = new ArrayList<>(expected.keySet());
        for (int i = 0; i < 10; i++) {
            long id = ids.get((batch * 17 + i * 13) % ids.size());
            changes.add("(" + id + ", " + (batch * 100 + i) + ", 'u')");
            after.put(id, new long[] {batch * 100 + i, batch});
        }
        for (int i = 0; i < 2; i++) {
            long id = ids.get((batch * 31 + i * 7 + 5) % ids.size());
            if (changes.stream().noneMatch(c -> c.startsWith("(" + id + ","))) {
                changes.add("(" + id + ", 0, 'd')");
                after.remove(id);
            }
        }
        for (int i = 0; i < 3; i++) {
            long id = 10_000 + batch * 10L + i;
            changes.add("(" + id + ", " + batch + ", 'c')");
            after.put(id, new long[] {batch, batch});
        }
        String view = "race_changes_" + batch;
        spark.sql("SELECT col1 AS id, col2 AS v, col3 AS op FROM VALUES " + String.join(", ", changes))
                .createOrReplaceTempView(view);
        String merge = "MERGE INTO " + t + " t USING " + view + " s ON t.id = s.id"
                + " WHEN MATCHED AND s.op = 'd' THEN DELETE"
                + " WHEN MATCHED THEN UPDATE SET t.v = s.v, t.batch = " + batch
                + " WHEN NOT MATCHED AND s.op <> 'd' THEN INSERT (id, v, batch) VALUES (s.id, s.v, " + batch + ")";
        Map<String, String> marker = Map.of(SnapshotProtection.JOB, JOB, SnapshotProtection.BATCH_ID, Integer.toString(batch));
        AtomicInteger attempts = new AtomicInteger();
        CommitConflicts.retry("MERGE batch " + batch, 10, Duration.ofMillis(200), () -> {
            if (attempts.incrementAndGet() > 1) {
                retries.incrementAndGet();
            }
            CommitMetadata.withCommitProperties(marker, () -> spark.sql(merge), RuntimeException.class);
            return null;
        });
        spark.catalog().dropTempView(view);
        expected.clear();
        expected.putAll(after);
    }

    private static String format(Map<Long, long[]> rows) {
        return rows.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()[0] + "/" + e.getValue()[1])
                .collect(Collectors.joining(","));
    }
}
