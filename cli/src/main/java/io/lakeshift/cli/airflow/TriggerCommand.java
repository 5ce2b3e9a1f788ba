package io.lakeshift.cli.airflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.cli.TextTable;
import io.lakeshift.core.json.Json;
import io.lakeshift.orchestration.airflow.AirflowClient;
import io.lakeshift.orchestration.airflow.DagRun;
import io.lakeshift.orchestration.airflow.DagRunRequest;
import io.lakeshift.orchestration.airflow.DagRunState;
import io.lakeshift.orchestration.airflow.TaskInstance;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "trigger",
        description = "Trigger a run of a DAG; with --wait, follow it to its end. Exit code with --wait:"
                + " 0 when the run succeeded, 1 when it failed or did not finish in time.")
final class TriggerCommand implements Callable<Integer> {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    @Mixin
    CommonOptions common;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG id.")
    String dagId;

    @Option(names = "--conf", paramLabel = "JSON", description = "The run's configuration, a JSON object, e.g. '{\"full_refresh\": true}'.")
    String conf;

    @Option(names = "--wait", description = "Wait until the run succeeds or fails, then list its tasks.")
    boolean waitForEnd;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600",
            description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be 1 second or more, got " + timeoutSeconds);
        }
        Map<String, Object> runConf = parseConf();
        AirflowClient client = AirflowAccess.client(common.load());
        PrintWriter out = spec.commandLine().getOut();
        DagRun run = client.trigger(dagId, DagRunRequest.of(runConf));
        out.println("Triggered DAG " + dagId + ": run " + run.runId() + " (" + run.state().wireName() + ")");
        out.flush();
        if (!waitForEnd) {
            return 0;
        }
        DagRun finished = client.waitForDagRun(dagId, run.runId(), Duration.ofSeconds(timeoutSeconds));
        out.println("Run " + finished.runId() + " of DAG " + dagId + " ended: " + finished.state().wireName());
        TextTable tasks = new TextTable("TASK_ID", "STATE", "TRY", "STARTED", "ENDED", "SECONDS");
        for (TaskInstance task : client.listTaskInstances(dagId, run.runId())) {
            String id = task.mapIndex() >= 0 ? task.taskId() + "[" + task.mapIndex() + "]" : task.taskId();
            tasks.row(id, task.state(), task.tryNumber(), task.startDate(), task.endDate(),
                    task.durationSeconds() == null ? null : String.format("%.1f", task.durationSeconds()));
        }
        tasks.print(out);
        return finished.state() == DagRunState.SUCCESS ? 0 : 1;
    }

    private Map<String, Object> parseConf() {
        if (conf == null || conf.isBlank()) {
            return Map.of();
        }
        ObjectMapper json = Json.mapper();
        JsonNode parsed;
        try {
            parsed = json.readTree(conf);
        } catch (JsonProcessingException e) {
            throw new ParameterException(spec.commandLine(), "--conf is not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isObject()) {
            throw new ParameterException(spec.commandLine(), "--conf must be a JSON object, e.g. '{\"full_refresh\": true}'");
        }
        return json.convertValue(parsed, OBJECT);
    }
}
