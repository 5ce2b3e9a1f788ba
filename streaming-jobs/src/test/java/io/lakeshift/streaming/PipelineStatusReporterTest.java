package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
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

    @Test
    void aQuietPipelineStillReportsEveryStatusInterval() throws Exception {
        LakeshiftConfig config = ConfigLoader.load(null, dir, List.of("metrics.statusIntervalMs=200"));
        PipelineMetrics orders = new PipelineMetrics("retail.orders");
        orders.recordFreshness(800, 2);
        orders.applyPath("equality upsert");
        StatusFiles files = new StatusFiles(dir, "pipelines");
        try (PipelineStatusReporter reporter = new PipelineStatusReporter(config, "apply-retail", Map.of("retail.orders", orders),
                new FreshnessRecorder())) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> files.readAll().size() == 1);
            long first = files.readAll().get(0).updatedAtMs();
            // no batch runs meanwhile
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> files.readAll().get(0).updatedAtMs() > first);
            ComponentStatus status = files.readAll().get(0);
            assertThat(status.state()).isEqualTo("RUNNING");
            assertThat(status.details()).containsEntry("freshnessP50Ms", "800").containsEntry("applyPath", "equality upsert");
        }
        assertThat(files.readAll().get(0).state()).isEqualTo("STOPPED");
    }

    @Test
    void freshnessIsAHistogramOfChangesPerPipeline() throws Exception {
        LakeshiftConfig config = ConfigLoader.load(null, dir, List.of());
        PipelineMetrics orders = new PipelineMetrics("retail.orders");
        try (PipelineStatusReporter reporter = new PipelineStatusReporter(config, "apply-retail", Map.of("retail.orders", orders),
                new FreshnessRecorder())) {
            orders.recordFreshness(700, 3);
            orders.recordFreshness(3_000, 1);

            String scraped = reporter.scrape();
            assertThat(scraped).contains(
                    "lakeshift_pipeline_freshness_seconds_bucket{part=\"apply-retail\",pipeline=\"retail.orders\",le=\"0.5\"} 0",
                    "lakeshift_pipeline_freshness_seconds_bucket{part=\"apply-retail\",pipeline=\"retail.orders\",le=\"1.0\"} 3",
                    "lakeshift_pipeline_freshness_seconds_bucket{part=\"apply-retail\",pipeline=\"retail.orders\",le=\"5.0\"} 4",
                    "lakeshift_pipeline_freshness_seconds_count{part=\"apply-retail\",pipeline=\"retail.orders\"} 4");

            reporter.kafkaLag("retail.orders", Map.of(0, 20L));
            reporter.kafkaLag("retail.orders", Map.of(0, 5L));
            assertThat(reporter.scrape()).contains(
                    "lakeshift_pipeline_kafka_lag_records{part=\"apply-retail\",partition=\"0\",pipeline=\"retail.orders\"} 5.0");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
