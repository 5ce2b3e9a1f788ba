package io.lakeshift.benchmarks;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.benchmarks.ReconcileBench;
import io.lakeshift.migration.ReconciliationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lakeshift bench reconcile}: a batch table and a streaming table of N rows (1% of the keys
 * changed after the batch position, rebuilt from the changelog; three rows changed behind the
 * pipeline's back) reconciled by the Spark reconciler the migration gates use.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Reconciliation benchmark: N rows, 1% rebuilt from the changelog, 3 rows tampered. Figures are",
            "appended to <data-dir>/bench/reconcile-bench.txt. Last line:",
            "bench reconcile: rows=<n> seconds=<n> differing=<n>"})
public final class ReconcileBenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--rows", defaultValue = "1000000", description = "Rows in each table. Default: ${DEFAULT-VALUE}.")
    long rows;

    @Override
    public Integer call() throws Exception {
        Path dir = common.load().dataDir().resolve("bench");
        Path work = dir.resolve("reconcile-work");
        if (Files.exists(work)) {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(work);
        ReconciliationReport report = ReconcileBench.run(rows, work);
        Files.writeString(dir.resolve("reconcile-bench.txt"), Files.readString(work.resolve("reconcile-bench.txt")),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.out.printf("bench reconcile: rows=%d seconds=%.1f differing=%d%n", rows, report.durationMs() / 1000.0,
                report.differing());
        return report.differing() == 3 ? 0 : 1;
    }
}
