package io.lakeshift.cli.migrate;

import io.lakeshift.batch.TableReconciler;
import io.lakeshift.migration.ReconcileRequest;
import io.lakeshift.migration.ReconciliationReport;
import io.lakeshift.migration.Reconciler;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;

/** The migration engine's reconciliation gate run by batch-jobs' {@link TableReconciler}. */
public final class SparkReconciler implements Reconciler {

    private final TableReconciler reconciler;

    public SparkReconciler(SparkSession spark) {
        this.reconciler = new TableReconciler(spark);
    }

    @Override
    public ReconciliationReport reconcile(ReconcileRequest r) {
        TableReconciler.Outcome o = reconciler.reconcile(new TableReconciler.Request(r.keyColumns(), r.batchTable(),
                r.batchSnapshotId(), r.position(), r.streamingTable(), r.changelogTables(), r.sampleSize()));
        return new ReconciliationReport(r.pipeline(), Instant.now(), r.position(), r.batchSnapshotId(), o.batchRows(),
                o.streamingRows(), o.missing(), o.extra(), o.differing(), o.samples(), o.durationMs());
    }
}
