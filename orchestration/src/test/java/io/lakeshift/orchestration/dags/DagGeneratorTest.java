package io.lakeshift.orchestration.dags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagGeneratorTest {

    private static final String TWO_DAGS = """
            pipelines:
              - {name: retail.orders, source: retail, table: retail.orders, target: retail.orders,
                 stage: BATCH, dag: legacy_orders_daily, schedule: "0 2 * * *"}
              - {name: retail.customers, source: retail, table: retail.customers, target: retail.customers,
                 stage: SHADOW, dag: legacy_customers}
              - {name: retail.order_lines, source: retail, table: retail.order_lines, target: retail.order_lines,
                 stage: STREAMING}
            spark:
              conf: {spark.executor.memory: 2g, spark.dynamicAllocation.enabled: "false",
                     spark.hadoop.fs.s3a.secret.key: "s3-secret-value"}
            """;

    @TempDir
    Path dir;

    @Test
    void writesOneCompilableDagPerPipelineWithADag() throws Exception {
        List<Path> files = new DagGenerator(DagOptions.of(DagOperator.BASH)).generate(config(TWO_DAGS), dir.resolve("dags"));

        assertThat(files).extracting(f -> f.getFileName().toString())
                .containsExactly("legacy_customers.py", "legacy_orders_daily.py");
        for (Path file : files) {
            assertPythonCompiles(file);
        }
    }

    @Test
    void bashDagsRunTheBatchJobOnTheirSchedule() throws Exception {
        List<Path> files = new DagGenerator(DagOptions.of(DagOperator.BASH).withWorkerConfig("/etc/lakeshift/prod.yaml"))
                .generate(config(TWO_DAGS), dir);

        JsonNode orders = declared(files.get(1));
        assertThat(orders.at("/dag/dag_id").asText()).isEqualTo("legacy_orders_daily");
        assertThat(orders.at("/dag/schedule").asText()).isEqualTo("0 2 * * *");
        assertThat(orders.at("/dag/catchup").asBoolean()).isFalse();
        assertThat(orders.at("/dag/tags").toString()).isEqualTo("[\"lakeshift\",\"batch\"]");
        assertThat(orders.at("/tasks/0/operator").asText()).isEqualTo("BashOperator");
        assertThat(orders.at("/tasks/0/bash_command").asText())
                .isEqualTo("lakeshift batch run full-reload --pipeline retail.orders --config /etc/lakeshift/prod.yaml");

        JsonNode customers = declared(files.get(0));
        assertThat(customers.at("/dag/schedule").asText()).as("the default").isEqualTo("@daily");
        assertThat(customers.at("/tasks/0/bash_command").asText())
                .startsWith("lakeshift batch run full-reload --pipeline retail.customers");
    }

    @Test
    void sparkSubmitDagsSubmitTheBatchJobsJar() throws Exception {
        DagOptions options = DagOptions.of(DagOperator.SPARK_SUBMIT).withSparkApplication("/opt/jobs/lakeshift.jar")
                .withSparkConnId("spark_prod");
        List<Path> files = new DagGenerator(options).generate(config(TWO_DAGS), dir);

        assertPythonCompiles(files.get(1));
        JsonNode task = declared(files.get(1)).at("/tasks/0");
        assertThat(task.get("operator").asText()).isEqualTo("SparkSubmitOperator");
        assertThat(task.get("application").asText()).isEqualTo("/opt/jobs/lakeshift.jar");
        assertThat(task.get("java_class").asText()).isEqualTo("io.lakeshift.batch.FullReloadJob");
        assertThat(task.get("conn_id").asText()).isEqualTo("spark_prod");
        assertThat(task.get("application_args").toString()).isEqualTo("[\"--pipeline\",\"retail.orders\"]");
        assertThat(Files.readString(files.get(1))).as("secret Spark settings stay out of DAG files")
                .doesNotContain("s3-secret-value").doesNotContain("secret.key\":");
        assertThat(task.get("conf").toString()).isEqualTo(
                "{\"spark.dynamicAllocation.enabled\":\"false\",\"spark.executor.memory\":\"2g\",\"spark.sql.shuffle.partitions\":\"4\"}");
    }

    @Test
    void defaultSparkSubmitDagsNameTheJarAndClassTheJobsJarProfileBuilds() throws Exception {
        JsonNode task = declared(new DagGenerator(DagOptions.of(DagOperator.SPARK_SUBMIT)).generate(config(TWO_DAGS), dir).get(1))
                .at("/tasks/0");

        assertThat(task.get("application").asText()).isEqualTo("/opt/lakeshift/lakeshift-batch-jobs-jobs.jar");
        assertThat(task.get("java_class").asText()).isEqualTo("io.lakeshift.batch.FullReloadJob");
    }

    @Test
    void configuredValuesAreNeverRenderedAsJinjaTemplates() throws Exception {
        String templated = """
                pipelines:
                  - {name: retail.orders, source: retail, table: retail.orders, target: retail.orders,
                     stage: BATCH, dag: legacy_orders, schedule: "{{ 7 * 7 }}"}
                spark:
                  conf: {spark.app.tag: "{{ 6 * 7 }}{% raw %}x{% endraw %}"}
                """;
        for (DagOperator operator : DagOperator.values()) {
            DagOptions options = DagOptions.of(operator).withWorkerConfig("/etc/{{ 6 * 7 }}.yaml");
            Path file = new DagGenerator(options).generate(config(templated), dir.resolve(operator.name())).get(0);

            JsonNode task = declared(file).at("/tasks/0");
            assertThat(task.get("template_fields")).as("%s renders no field", operator).isEmpty();
            assertThat(task.toString()).as("%s", operator).contains("{{ 6 * 7 }}").doesNotContain("42");
            assertThat(Files.readAllLines(file).get(0)).isEqualTo("# -*- coding: utf-8 -*-");
        }
    }

    @Test
    void theFirstLinesAreFixedWhateverThePipelineIsCalled() throws Exception {
        PipelineConfig latin = new PipelineConfig("x # -*- coding: latin-1 -*-", "retail", "retail.orders", "retail.orders",
                List.of(), "BATCH", "odd_dag", null, null, null, null, null);
        LakeshiftConfig base = config("{}");
        LakeshiftConfig config = new LakeshiftConfig(base.dataDir(), base.kafka(), base.sources(), base.catalog(), base.spark(),
                List.of(latin), base.demo(), base.airflow(), base.metrics(), base.ingestion(), base.console());

        Path file = new DagGenerator(DagOptions.of(DagOperator.BASH)).generate(config, dir).get(0);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("# -*- coding: utf-8 -*-");
        assertThat(lines.get(1)).doesNotContain("latin");
        assertPythonCompiles(file);
    }

    @Test
    void outputIsDeterministic() throws IOException {
        for (DagOperator operator : DagOperator.values()) {
            DagGenerator generator = new DagGenerator(DagOptions.of(operator));
            List<Path> first = generator.generate(config(TWO_DAGS), dir.resolve(operator + "-1"));
            List<Path> second = generator.generate(config(TWO_DAGS), dir.resolve(operator + "-2"));

            assertThat(second).hasSameSizeAs(first);
            for (int i = 0; i < first.size(); i++) {
                assertThat(Files.readAllBytes(second.get(i))).as(second.get(i).toString())
                        .isEqualTo(Files.readAllBytes(first.get(i)));
            }
        }
    }

    @Test
    void quotesAwkwardNamesSafely() throws Exception {
        PipelineConfig odd = new PipelineConfig("it's \"odd\"\n\\ $(rm -rf /)", "retail", "retail.orders", "retail.orders",
                List.of(), "BATCH", "odd_dag", null, null, null, null, null);
        LakeshiftConfig base = config("{}");
        LakeshiftConfig config = new LakeshiftConfig(base.dataDir(), base.kafka(), base.sources(), base.catalog(), base.spark(),
                List.of(odd), base.demo(), base.airflow(), base.metrics(), base.ingestion(), base.console());

        Path file = new DagGenerator(DagOptions.of(DagOperator.BASH)).generate(config, dir).get(0);

        assertPythonCompiles(file);
        assertThat(declared(file).at("/tasks/0/bash_command").asText())
                .isEqualTo("lakeshift batch run full-reload --pipeline 'it'\\''s \"odd\"\n\\ $(rm -rf /)'");
    }

    @Test
    void refusesInvalidOrSharedDagIds() throws IOException {
        String invalid = """
                pipelines:
                  - {name: a, source: retail, table: retail.orders, target: retail.a, stage: BATCH, dag: "has space"}
                """;
        String shared = """
                pipelines:
                  - {name: a, source: retail, table: retail.orders, target: retail.a, stage: BATCH, dag: ok}
                  - {name: b, source: retail, table: retail.orders, target: retail.b, stage: BATCH, dag: shared}
                  - {name: c, source: retail, table: retail.orders, target: retail.c, stage: BATCH, dag: shared}
                """;

        assertThatThrownBy(() -> config(invalid)).as("refused at start-up")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pipelines[0].dag");
        LakeshiftConfig config = config(shared);
        assertThatThrownBy(() -> new DagGenerator(DagOptions.of(DagOperator.BASH)).generate(config, dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pipelines[2].dag")
                .hasMessageContaining("pipeline 'b'");
    }

    @Test
    void parsesOperatorNames() {
        assertThat(DagOperator.fromCliName("bash")).isEqualTo(DagOperator.BASH);
        assertThat(DagOperator.fromCliName("spark-submit")).isEqualTo(DagOperator.SPARK_SUBMIT);
        assertThatThrownBy(() -> DagOperator.fromCliName("docker")).hasMessageContaining("bash, spark-submit");
    }

    private LakeshiftConfig config(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("lakeshift-" + System.nanoTime() + ".yaml"), yaml);
        return ConfigLoader.load(file, dir.resolve("data"), List.of());
    }

    private static void assertPythonCompiles(Path file) throws IOException, InterruptedException {
        Run result = python(List.of("-m", "py_compile", file.toString()), null);
        assertThat(result.exitCode).as("py_compile %s: %s", file, result.output).isZero();
    }

    /** Runs the DAG file against a stand-in Airflow and returns what it declared: the DAG's and the task's arguments. */
    private static JsonNode declared(Path file) throws IOException, InterruptedException, URISyntaxException {
        Path stub = Path.of(DagGeneratorTest.class.getResource("/dags/stub-airflow").toURI());
        String script = "import json, runpy, airflow\n"
                + "runpy.run_path(" + Python.str(file.toString()) + ")\n"
                + "print(json.dumps(airflow.RECORDED[0], default=str))\n";
        Run result = python(List.of("-c", script), stub);
        assertThat(result.exitCode).as("running %s: %s", file, result.output).isZero();
        assertThat(result.output).contains("\"dag\"");
        return new ObjectMapper().readTree(result.output);
    }

    private record Run(int exitCode, String output) {
    }

    private static Run python(List<String> args, Path pythonPath) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        if (pythonPath != null) {
            builder.environment().put("PYTHONPATH", pythonPath.toString());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
