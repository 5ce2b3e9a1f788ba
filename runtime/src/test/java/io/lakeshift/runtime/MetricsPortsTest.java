package io.lakeshift.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.MetricsConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsPortsTest {

    @Test
    void eachPartTakesTheNextPort() {
        MetricsPorts ports = new MetricsPorts(new MetricsConfig(9400, 2000));

        assertThat(ports.command("ingest", List.of("ingest"))).containsExactly("ingest", "--set", "metrics.prometheusPort=9400");
        assertThat(ports.command("apply-erp", List.of("pipelines", "run", "--source", "erp")))
                .containsExactly("pipelines", "run", "--source", "erp", "--set", "metrics.prometheusPort=9401");
        assertThat(ports.command("apply-shop", List.of("pipelines", "run"))).endsWith("metrics.prometheusPort=9402");
        assertThat(ports.assigned()).isEqualTo(Map.of("ingest", 9400, "apply-erp", 9401, "apply-shop", 9402));
        assertThat(ports.describe()).isEqualTo("ingest http://127.0.0.1:9400/metrics, apply-erp http://127.0.0.1:9401/metrics,"
                + " apply-shop http://127.0.0.1:9402/metrics");
    }

    @Test
    void portZeroLeavesTheCommandsAlone() {
        MetricsPorts ports = new MetricsPorts(new MetricsConfig(0, 2000));
        assertThat(ports.command("ingest", List.of("ingest"))).containsExactly("ingest");
        assertThat(ports.assigned()).isEmpty();
    }

    @Test
    void noPortPast65535() {
        MetricsPorts ports = new MetricsPorts(new MetricsConfig(65535, 2000));
        ports.command("ingest", List.of("ingest"));
        assertThatThrownBy(() -> ports.command("routes", List.of("routes", "run"))).hasMessageContaining("routes")
                .hasMessageContaining("metrics.prometheusPort 65535");
    }
}
