package io.lakeshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaybooksTest {

    @Test
    void shipsAPlaybookForEveryDemoPipeline() {
        Playbooks bundled = Playbooks.bundled();
        assertThat(bundled.all()).extracting(Playbook::pipeline)
                .containsExactly("retail.customers", "retail.order_lines", "retail.orders");
        Playbook orders = bundled.of("retail.orders");
        assertThat(orders.dag()).isEqualTo("retail_orders_reload");
        assertThat(orders.gatesInto(Stage.INCREMENTAL))
                .isEqualTo(new Gates(3, 0.0, Duration.ofMinutes(5), Duration.ofDays(1)));
        assertThat(orders.shadowTableOf("retail.orders")).isEqualTo("retail.orders__shadow");
    }

    @Test
    void theModuleFolderAndTheBundleAgree() {
        assertThat(Playbooks.load(Path.of("playbooks")).all()).isEqualTo(Playbooks.bundled().all().stream()
                .map(p -> new Playbook(p.pipeline(), p.dag(), p.schedule(), p.positionProperty(), p.shadowTable(), p.gates(),
                        Path.of("playbooks", p.source()).toString())).toList());
    }

    @Test
    void everyProblemNamesItsFileAndKey() {
        String bad = """
                pipeline: retail.orders
                schedule: "@hourly"
                shadow: {table: orders}
                gates:
                  INCREMENTAL: {consecutiveCleanReconciliations: -1, maxMismatchRatio: 2, maxFreshnessLag: soon, minTimeinStage: 1d}
                  BATCH: {}
                extra: 1
                """;
        assertThatThrownBy(() -> Playbooks.parseAll(Map.of("orders.yaml", bad)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "orders.yaml: extra: unknown key; known keys are batch, dag, gates, pipeline, schedule, shadow",
                        "orders.yaml: dag: is required",
                        "orders.yaml: shadow.table: must be namespace.table, got 'orders'",
                        "orders.yaml: gates.INCREMENTAL.minTimeinStage: unknown key; known keys are consecutiveCleanReconciliations,"
                                + " maxFreshnessLag, maxMismatchRatio, minTimeInStage",
                        "orders.yaml: gates.INCREMENTAL.consecutiveCleanReconciliations: must be a whole number >= 0, got '-1'",
                        "orders.yaml: gates.INCREMENTAL.maxMismatchRatio: must be a number from 0 to 1, got '2'",
                        "orders.yaml: gates.INCREMENTAL.maxFreshnessLag: 'soon' is not a duration: write 0, 500ms, 90s, 5m, 2h, 1d or PT5M",
                        "orders.yaml: gates.BATCH: not a stage one can enter; gates are keyed by the stage they guard:"
                                + " SHADOW, INCREMENTAL, STREAMING"));
    }

    @Test
    void twoPlaybooksForOnePipelineAreRefused() {
        String text = "pipeline: a.b\ndag: d\nschedule: '@daily'\n";
        assertThatThrownBy(() -> Playbooks.parseAll(new java.util.TreeMap<>(Map.of("1.yaml", text, "2.yaml", text))))
                .hasMessageContaining("2.yaml: pipeline: 'a.b' already has a playbook in 1.yaml");
    }
}
