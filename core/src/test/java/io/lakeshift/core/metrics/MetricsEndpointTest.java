package io.lakeshift.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.MetricsConfig;
import io.micrometer.core.instrument.Counter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    @Test
    void servesThePartsMetricsAndTheJvmsOnTheLoopback() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(new MetricsConfig(freePort(), 2000), "ingest")) {
            Counter.builder("lakeshift.capture.events").tag("source", "erp").register(endpoint.registry()).increment(3);
            assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();

            HttpResponse<String> metrics = get(endpoint, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body()).contains("lakeshift_capture_events_total{part=\"ingest\",source=\"erp\"} 3.0",
                    "jvm_memory_used_bytes{", "jvm_threads_live_threads{part=\"ingest\"}", "process_uptime_seconds");

            HttpResponse<String> health = get(endpoint, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
        }
    }

    @Test
    void readySaysWhatIsNotRunning() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(new MetricsConfig(freePort(), 2000), "ingest")) {
            assertThat(get(endpoint, "/ready").statusCode()).as("ready until told otherwise").isEqualTo(200);

            java.util.concurrent.atomic.AtomicReference<java.util.List<String>> problems =
                    new java.util.concurrent.atomic.AtomicReference<>(java.util.List.of("source erp is RETRYING: connection refused"));
            endpoint.readiness(problems::get);
            HttpResponse<String> notReady = get(endpoint, "/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("source erp is RETRYING: connection refused\n");
            assertThat(get(endpoint, "/health").statusCode()).as("alive all the same").isEqualTo(200);

            problems.set(java.util.List.of());
            HttpResponse<String> ready = get(endpoint, "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready\n");

            endpoint.readiness(() -> {
                throw new IllegalStateException("status unreadable");
            });
            assertThat(get(endpoint, "/ready").body()).contains("readiness check failed: status unreadable");
        }
    }

    @Test
    void portZeroServesNothingButStillCounts() {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(new MetricsConfig(0, 2000), "routes")) {
            Counter.builder("lakeshift.route.records").register(endpoint.registry()).increment();
            assertThat(endpoint.address()).isNull();
            assertThat(endpoint.scrape()).contains("lakeshift_route_records_total{part=\"routes\"} 1.0");
        }
    }

    @Test
    void aTakenPortNamesTheSettings() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> MetricsEndpoint.start(new MetricsConfig(taken.getLocalPort(), 2000), "apply-erp"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("apply-erp").hasMessageContaining("metrics.prometheusPort");
        }
    }

    private static HttpResponse<String> get(MetricsEndpoint endpoint, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
