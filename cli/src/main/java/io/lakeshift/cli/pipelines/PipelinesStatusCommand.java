package io.lakeshift.cli.pipelines;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.cli.TextTable;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.ReportedState;
import io.lakeshift.core.status.StatusFiles;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lakeshift pipelines status}: what every pipeline's apply job last reported. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Every declared pipeline: state, records in, changes applied, dead letters, freshness and throughput.")
public final class PipelinesStatusCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LakeshiftConfig config = common.load();
        Map<String, ComponentStatus> reported = new StatusFiles(config.dataDir(), "pipelines").readAll().stream()
                .collect(Collectors.toMap(ComponentStatus::name, Function.identity()));
        long now = System.currentTimeMillis();
        TextTable table = new TextTable("PIPELINE", "TARGET", "STAGE", "STATE", "RECORDS_IN", "APPLIED", "DEAD_LETTERS",
                "FRESHNESS_P50_MS", "FRESHNESS_P99_MS", "ROWS/S", "LAST_BATCH_MS", "UPDATED");
        for (PipelineConfig p : config.pipelines()) {
            ComponentStatus s = reported.get(p.name());
            if (s == null) {
                table.row(p.name(), p.target(), p.stage(), "NOT RUNNING", "", "", "", "", "", "", "", "");
                continue;
            }
            String state = ReportedState.pipeline(s, now);
            table.row(p.name(), p.target(), p.stage(), state, s.counters().get("recordsIn"), s.counters().get("rowsApplied"),
                    s.counters().get("deadLetters"), s.details().get("freshnessP50Ms"), s.details().get("freshnessP99Ms"),
                    s.details().get("inputRowsPerSecond"), s.details().get("lastBatchMs"),
                    (now - s.updatedAtMs()) / 1000 + " s ago");
        }
        PrintWriter out = spec.commandLine().getOut();
        table.print(out);
        reported.values().stream().filter(s -> s.details().containsKey("lastError"))
                .forEach(s -> out.println(s.name() + ": " + s.details().get("lastError")));
        out.flush();
        return 0;
    }
}
