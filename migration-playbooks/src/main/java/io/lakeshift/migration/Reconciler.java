package io.lakeshift.migration;

/**
 * Compares a batch output with the streaming output at the same source position. The engine
 * stays free of any query engine; the lakeshift command implements this with Spark.
 */
public interface Reconciler {

    ReconciliationReport reconcile(ReconcileRequest request);
}
