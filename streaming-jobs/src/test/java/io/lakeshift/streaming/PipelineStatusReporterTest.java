package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineStatusReporterTest {

    @TempDir
    Path dir;

    @Test
    void thePrometheusEndpointListensOnTheLoopbackByDefault() throws Exception {
        LakeshiftConfig config = ConfigLoader.load(null, dir, List.of("metrics.prometheusPort=" + freePort()));

        try (PipelineStatusReporter reporter = new PipelineStatusReporter(config, "apply-retail", Map.of(), new FreshnessRecorder())) {
            assertThat(reporter.metricsAddress().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void theBindAddressIsASetting() throws Exception {
        LakeshiftConfig config = ConfigLoader.load(null, dir, List.of("metrics.prometheusPort=" + freePort(),
                "metrics.bindAddress=0.0.0.0"));

        try (PipelineStatusReporter reporter = new PipelineStatusReporter(config, "apply-retail", Map.of(), new FreshnessRecorder())) {
            assertThat(reporter.metricsAddress().getAddress().isAnyLocalAddress()).isTrue();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
