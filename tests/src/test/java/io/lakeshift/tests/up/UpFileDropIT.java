package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file drop reaching the lake through {@code lakeshift up}: the lake table is created from the
 * declared columns before the first file, every record read is a row change in the lake or a dead
 * letter with its reason, and a key that appears on several lines keeps its newest line.
 */
class UpFileDropIT {

    @TempDir
    static Path work;

    static LakeshiftCommand up;
    static LakeCheck lake;

    @Test
    void droppedFilesBecomeLakeRowsAndDeadLetters() throws Exception {
        Path drops = Files.createDirectories(work.resolve("drops"));
        Path dataDir = work.resolve("lakeshift-data");
        Path config = work.resolve("drops.yaml");
        Files.writeString(config, OrdersDrop.config("shop", List.of(),
                List.of("directory: " + drops, "pickup: done-marker")), StandardCharsets.UTF_8);

        int metricsPort = FreePorts.twoInARow();
        up = LakeshiftCommand.start(work.resolve("up.out"), Map.of(), "up", "--config", config.toString(),
                "--data-dir", dataDir.toString(), "--set", "metrics.prometheusPort=" + metricsPort);
        up.awaitOutput("created lake table shop.orders", Duration.ofMinutes(3));
        up.awaitOutput("pipeline shop.orders is running", Duration.ofMinutes(3));
        for (Map.Entry<String, String> file : OrdersDrop.FILES.entrySet()) {
            drop(drops, file.getKey(), file.getValue());
        }

        LakeshiftConfig loaded = ConfigLoader.load(config, dataDir, List.of());
        lake = new LakeCheck(loaded);
        OrdersDrop orders = new OrdersDrop("shop", lake);
        orders.awaitNewestLinePerKey(up);
        orders.assertEveryRecordAccountedFor(loaded, dataDir);

        // each part of up on its own port, with the figures the status files hold
        up.awaitOutput("Prometheus metrics: routes http://127.0.0.1:" + metricsPort + "/metrics, apply-shop http://127.0.0.1:"
                + (metricsPort + 1) + "/metrics", Duration.ofSeconds(10));
        PrometheusScrape routes = PrometheusScrape.of("http://127.0.0.1:" + metricsPort + "/metrics");
        assertThat(routes.value("lakeshift_route_records_total", "source", "shop")).isPositive();
        assertThat(routes.value("lakeshift_route_dead_letters_total", "source", "shop")).isPositive();
        assertThat(routes.value("lakeshift_route_files_total", "source", "shop")).isPositive();
        assertThat(routes.value("lakeshift_route_state", "state", "RUNNING")).isEqualTo(1.0);
        routes.family("lakeshift_route_events_total");
        assertThat(routes.value("jvm_memory_used_bytes", "part", "routes")).isPositive();
        PrometheusScrape apply = PrometheusScrape.of("http://127.0.0.1:" + (metricsPort + 1) + "/metrics");
        assertThat(apply.value("lakeshift_pipeline_rows_applied_total", "pipeline", "shop.orders")).isPositive();
        assertThat(apply.value("lakeshift_pipeline_freshness_seconds", "pipeline", "shop.orders")).isPositive();
        assertThat(apply.value("lakeshift_pipeline_kafka_lag_records", "pipeline", "shop.orders")).isZero();
        apply.family("lakeshift_freshness_p99_seconds");
        apply.family("lakeshift_pipeline_freshness_p99_seconds");
        apply.family("lakeshift_pipeline_last_batch_duration_seconds");
        assertThat(apply.value("jvm_memory_used_bytes", "part", "apply-shop")).isPositive();
        for (int port : List.of(metricsPort, metricsPort + 1)) {
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        }
        assertThat(up.stop(Duration.ofMinutes(2))).isZero();
    }

    private static void drop(Path dir, String name, String content) throws Exception {
        Path tmp = dir.resolveSibling(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve(name + ".done"), "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (up != null && up.alive()) {
            up.stop(Duration.ofMinutes(2));
        }
        if (lake != null) {
            lake.close();
        }
    }
}
