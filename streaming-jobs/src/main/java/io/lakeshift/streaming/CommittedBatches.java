package io.lakeshift.streaming;

import io.lakeshift.lakehouse.CatalogProperties;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.SparkSession;

/**
 * Which micro-batches a job has already committed to a table, read from Iceberg snapshot
 * summaries. A job that crashed after its Iceberg commit and before Spark's checkpoint commit
 * replays the batch; this check makes the replay a no-op.
 */
final class CommittedBatches {

    static final String JOB = CatalogProperties.SUMMARY_PREFIX + "job";
    static final String BATCH_ID = CatalogProperties.SUMMARY_PREFIX + "batch-id";
    static final String KAFKA_OFFSETS = CatalogProperties.SUMMARY_PREFIX + "kafka-offsets";

    private CommittedBatches() {
    }

    /** The newest batch id {@code job} committed to {@code table}, or -1. */
    static long lastCommitted(SparkSession spark, String table, String job) {
        Table iceberg;
        try {
            iceberg = Spark3Util.loadIcebergTable(spark, table);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load Iceberg table " + table + ": " + e.getMessage(), e);
        }
        iceberg.refresh();
        return lastCommitted(iceberg, job);
    }

    /** The newest batch id {@code job} committed to {@code iceberg} as loaded, or -1. */
    static long lastCommitted(Table iceberg, String job) {
        Snapshot current = iceberg.currentSnapshot();
        if (current == null) {
            return -1;
        }
        // Other writers (compaction, batch jobs) may have committed since: walk back to this job's last commit.
        for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), iceberg::snapshot)) {
            Map<String, String> summary = snapshot.summary();
            if (job.equals(summary.get(JOB)) && summary.containsKey(BATCH_ID)) {
                return Long.parseLong(summary.get(BATCH_ID));
            }
        }
        return -1;
    }
}
