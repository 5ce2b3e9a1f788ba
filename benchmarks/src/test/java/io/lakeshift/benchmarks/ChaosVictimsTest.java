package io.lakeshift.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.runtime.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosVictimsTest {

    private static final Part BROKER = new Part("broker", "64m", List.of("broker"));
    private static final Part INGEST = new Part("ingest", "64m", List.of("ingest"));
    private static final Part APPLY = new Part("apply", "64m", List.of("pipelines", "run"));
    private static final List<Part> PARTS = List.of(BROKER, INGEST, APPLY);

    @Test
    void choosesTheNamedPartsInTheRuntimesOrder() {
        ChaosVictims victims = ChaosVictims.parse(List.of("apply", " Ingest ", "apply"));

        assertThat(victims.of(PARTS)).containsExactly(INGEST, APPLY);
        assertThat(victims).hasToString("apply,ingest");
    }

    @Test
    void everyPartByDefault() {
        assertThat(ChaosVictims.parse(ChaosVictims.ALL).of(PARTS)).containsExactly(BROKER, INGEST, APPLY);
    }

    @Test
    void anUnknownPartIsRefusedNamingTheOptionAndTheChoices() {
        assertThatThrownBy(() -> ChaosVictims.parse(List.of("ingest", "postgres")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--victims: unknown part 'postgres'; choose among broker, ingest, apply (comma-separated)");
    }

    @Test
    void noPartAtAllIsRefused() {
        assertThatThrownBy(() -> ChaosVictims.parse(List.of()))
                .hasMessageContaining("--victims names no part");
    }
}
