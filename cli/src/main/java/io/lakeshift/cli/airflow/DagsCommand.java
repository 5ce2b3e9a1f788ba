package io.lakeshift.cli.airflow;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.cli.TextTable;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.orchestration.airflow.DagInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "dags",
        description = "List Airflow's DAGs, with the Lakeshift pipeline that replaces each (pipelines[].dag).")
final class DagsCommand implements Runnable {

    @Mixin
    CommonOptions common;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LakeshiftConfig config = common.load();
        List<DagInfo> dags = AirflowAccess.client(config).listDags();
        Map<String, String> pipelineOf = config.pipelines().stream()
                .filter(p -> p.dag() != null)
                .collect(Collectors.toMap(PipelineConfig::dag, PipelineConfig::name, (a, b) -> a + "," + b));
        PrintWriter out = spec.commandLine().getOut();
        if (dags.isEmpty()) {
            out.println("Airflow has no DAGs.");
            out.flush();
            return;
        }
        TextTable table = new TextTable("DAG_ID", "PAUSED", "ACTIVE", "SCHEDULE", "TAGS", "PIPELINE");
        for (DagInfo dag : dags) {
            table.row(dag.dagId(), dag.paused(), dag.active(), dag.schedule(), String.join(",", dag.tags()),
                    pipelineOf.get(dag.dagId()));
        }
        table.print(out);
    }
}
