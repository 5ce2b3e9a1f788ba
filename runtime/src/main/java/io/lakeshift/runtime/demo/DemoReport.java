package io.lakeshift.runtime.demo;

import io.lakeshift.batch.TableComparison;
import java.util.List;

/**
 * What the demo proved.
 *
 * @param tables one comparison per source table, then the mart
 * @param freshnessP50Ms median source-commit-to-lake-commit latency of streamed changes
 * @param freshnessMaxMs the largest such latency
 * @param inserts rows the workload inserted
 * @param updates rows the workload updated
 * @param deletes rows the workload deleted (cascaded lines not counted)
 */
public record DemoReport(List<TableComparison> tables, long freshnessP50Ms, long freshnessMaxMs,
        long inserts, long updates, long deletes) {

    public boolean ok() {
        return tables.stream().allMatch(TableComparison::matches);
    }
}
