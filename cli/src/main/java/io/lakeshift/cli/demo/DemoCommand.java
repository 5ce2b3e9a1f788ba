package io.lakeshift.cli.demo;

import java.util.ArrayList;
import java.util.List;

import io.lakeshift.batch.TableComparison;
import io.lakeshift.runtime.demo.DemoReport;
import io.lakeshift.runtime.demo.DemoRunner;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.core.config.LakeshiftConfig;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lakeshift demo}: the whole flow on the embedded stack, checked table by table. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "'lakeshift up' on a seeded embedded PostgreSQL: starts the legacy database, then the same runtime",
            "as 'up' (Kafka broker, Debezium ingestion, the Spark apply job into Iceberg, as child processes),",
            "changes the source for a while, runs a batch mart on the lake, and compares every table with its",
            "source. Everything runs embedded; nothing is installed."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "How long the workload changes the source (default: demo.durationSeconds, 30).")
    Integer durationSeconds;

    @Option(names = "--rate", paramLabel = "TX_PER_S", description = "Workload transactions per second (default: demo.changesPerSecond, 40).")
    Integer rate;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        var demo = config.demo();
        config = config.withDemo(new io.lakeshift.core.config.DemoConfig(
                durationSeconds == null ? demo.durationSeconds() : durationSeconds,
                rate == null ? demo.changesPerSecond() : rate, demo.customers(), demo.orders(), demo.seed()));
        PrintStream out = System.out;
        List<String> overrides = new ArrayList<>(common.allOverrides());
        if (durationSeconds != null) {
            overrides.add("demo.durationSeconds=" + durationSeconds);
        }
        if (rate != null) {
            overrides.add("demo.changesPerSecond=" + rate);
        }
        DemoRunner runner = new DemoRunner(config, common.configFile(), overrides, out);
        Thread cleanup = new Thread(runner::close, "lakeshift-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(cleanup);
        DemoReport report;
        try {
            report = runner.run();
        } finally {
            runner.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down (Ctrl-C): the hook runs close(), which is idempotent
            }
        }
        print(report, out);
        return report.ok() ? 0 : 1;
    }

    static void print(DemoReport report, PrintStream out) {
        for (TableComparison t : report.tables()) {
            out.println(t.summaryLine());
            if (!t.matches()) {
                t.missingSample().forEach(r -> out.println("  in source, not in lake: " + r));
                t.extraSample().forEach(r -> out.println("  in lake, not in source: " + r));
                if (t.missing() > t.missingSample().size() || t.extra() > t.extraSample().size()) {
                    out.println("  (" + t.missing() + " source rows and " + t.extra() + " lake rows differ in all)");
                }
            }
        }
        out.println("freshness p50 " + Math.max(report.freshnessP50Ms(), 0) + " ms, max " + Math.max(report.freshnessMaxMs(), 0) + " ms");
        out.println(report.ok() ? "demo: OK" : "demo: FAILED (the lake differs from the source, see above)");
        out.flush();
    }
}
