package io.lakeshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.PipelineConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultPlaybookTest {

    private static PipelineConfig pipeline(String name, String dag, String schedule) {
        return new PipelineConfig(name, "erp", "erp.invoices", "erp.invoices", List.of(), "BATCH", dag, schedule, null, null, null,
                null);
    }

    @Test
    void takesTheDagAndCadenceFromThePipelineAndAsksForEvidenceBeforeEachStep() {
        Playbook book = DefaultPlaybook.of(pipeline("erp.invoices", "erp_invoices_nightly", "0 2 * * *"), null);

        assertThat(book.dag()).isEqualTo("erp_invoices_nightly");
        assertThat(book.schedule()).isEqualTo("0 2 * * *");
        assertThat(book.positionProperty()).isEqualTo(Playbook.DEFAULT_POSITION_PROPERTY);
        assertThat(book.shadowTableOf("erp.invoices")).isEqualTo("erp.invoices__shadow");
        assertThat(book.gatesInto(Stage.SHADOW)).isEqualTo(Gates.NONE);
        assertThat(book.gatesInto(Stage.INCREMENTAL)).isEqualTo(new Gates(3, 0.0, Duration.ofMinutes(5), Duration.ofDays(1)));
        assertThat(book.gatesInto(Stage.STREAMING).minTimeInStage()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aDagGivenOnTheCommandLineWinsAndAMissingCadenceIsDaily() {
        Playbook book = DefaultPlaybook.of(pipeline("erp.invoices", "old_dag", null), "erp_invoices_reload");

        assertThat(book.dag()).isEqualTo("erp_invoices_reload");
        assertThat(book.schedule()).isEqualTo(DefaultPlaybook.DEFAULT_SCHEDULE);
    }

    @Test
    void withoutAnyDagItSaysHowToNameOne() {
        assertThatThrownBy(() -> DefaultPlaybook.of(pipeline("erp.invoices", null, null), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pipelines[erp.invoices].dag")
                .hasMessageContaining("lakeshift migrate init erp.invoices --dag <DAG>");
    }

    @Test
    void theWrittenFileReadsBackAsTheSamePlaybook() {
        Playbook book = DefaultPlaybook.of(pipeline("erp.invoices", "erp_\"quoted\"_dag", "@hourly"), null);

        Playbook read = Playbooks.parseText("erp.invoices.yaml", DefaultPlaybook.yaml(book, "erp.invoices"));

        assertThat(read.pipeline()).isEqualTo(book.pipeline());
        assertThat(read.dag()).isEqualTo(book.dag());
        assertThat(read.schedule()).isEqualTo("@hourly");
        assertThat(read.shadowTableOf("erp.invoices")).isEqualTo("erp.invoices__shadow");
        for (Stage stage : List.of(Stage.SHADOW, Stage.INCREMENTAL, Stage.STREAMING)) {
            assertThat(read.gatesInto(stage)).as(stage.name()).isEqualTo(book.gatesInto(stage));
        }
    }

    @Test
    void everyConfiguredPipelineNamingItsDagGetsTheDefaultUnlessItHasAFile() {
        Playbooks withDefaults = Playbooks.bundled().withDefaults(List.of(
                pipeline("erp.invoices", "erp_invoices_nightly", null),
                pipeline("erp.notes", null, null),
                pipeline("retail.orders", "another_dag", null)));

        assertThat(withDefaults.of("erp.invoices").source()).isEqualTo("the default playbook of erp.invoices");
        assertThat(withDefaults.has("erp.notes")).isFalse();
        assertThat(withDefaults.of("retail.orders").dag()).as("the bundled file wins").isEqualTo("retail_orders_reload");
        assertThatThrownBy(() -> withDefaults.of("erp.notes")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("lakeshift migrate init erp.notes --dag <DAG>");
    }
}
