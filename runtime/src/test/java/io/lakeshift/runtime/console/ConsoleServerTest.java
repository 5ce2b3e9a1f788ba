package io.lakeshift.runtime.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.batch.MaintenanceReport;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.ConsoleConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's HTTP surface over a data folder's status files and a real (in-memory) Iceberg catalog. */
class ConsoleServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private InMemoryCatalog catalog;
    private ConsoleViews views;
    private ConsoleServer console;
    private final AtomicReference<Exception> migrationsFail = new AtomicReference<>();

    @BeforeEach
    void start() {
        LakeshiftConfig config = ConfigLoader.load(null, dataDir, List.of()); // the demo's source and three pipelines
        long now = System.currentTimeMillis();
        long pid = ProcessHandle.current().pid();
        new StatusFiles(dataDir, "sources").write(new ComponentStatus("retail", "postgres", "STREAMING", pid, now,
                Map.of("events", 1234L, "deadLetters", 2L, "lagBytes", 2048L, "behindMs", 1500L, "snapshotRows", 300L,
                        "snapshotRowsExpected", 1200L), Map.of("lastPosition", "lsn=0/16B3748")));
        StatusFiles pipelines = new StatusFiles(dataDir, "pipelines");
        pipelines.write(new ComponentStatus("retail.orders", "apply", "RUNNING", pid, now,
                Map.of("recordsIn", 500L, "rowsApplied", 498L, "deadLetters", 2L),
                Map.of("freshnessP50Ms", "850", "freshnessP99Ms", "1900", "inputRowsPerSecond", "120", "lastBatchMs", "640",
                        "applyPath", "equality upsert")));
        pipelines.write(new ComponentStatus("retail.customers", "apply", "FAILED", pid, now, Map.of("recordsIn", 7L),
                Map.of("freshnessP50Ms", "-1", "lastError", "column price is decimal(12, 2) in the table but string in the events")));

        new StatusFiles(dataDir, MaintenanceReport.STATUS_GROUP).write(new MaintenanceReport("retail.orders", 40, 3, 1, 0, 40, 1,
                3, 0, 0, 12, 2, 30, 0, 4, 1, 0, 2_500, List.of()).toStatus(pid, now));

        catalog = new InMemoryCatalog();
        catalog.initialize("lakeshift", Map.of());
        catalog.createNamespace(Namespace.of("retail"));
        Table orders = catalog.createTable(TableIdentifier.of("retail", "orders"),
                new Schema(Types.NestedField.required(1, "id", Types.LongType.get())), PartitionSpec.unpartitioned());
        orders.newAppend().appendFile(DataFiles.builder(PartitionSpec.unpartitioned()).withPath("/lake/retail/orders/a.parquet")
                .withFileSizeInBytes(4096).withRecordCount(40).withFormat("parquet").build()).commit();

        views = new ConsoleViews(config, catalog, () -> {
            if (migrationsFail.get() != null) {
                throw migrationsFail.get();
            }
            return List.of(new MigrationView("retail.orders", "SHADOW", now, "INCREMENTAL",
                    List.of(new MigrationView.Gate("3 consecutive clean reconciliations", false, "no reconciliation since entering SHADOW")),
                    null, "continuous -> retail.orders__shadow", List.of()));
        }, Clock.systemUTC());
        console = ConsoleServer.start(new ConsoleConfig(0, "127.0.0.1", true), views, 1_000);
    }

    @AfterEach
    void stop() throws Exception {
        console.close();
        catalog.close();
    }

    @Test
    void overviewHoldsEverySourcePipelineTableAndMigration() throws Exception {
        JsonNode overview = JSON.readTree(get("api/overview").body());
        JsonNode source = overview.get("sources").get(0);
        assertThat(source.get("name").asText()).isEqualTo("retail");
        assertThat(source.get("state").asText()).isEqualTo("streaming");
        assertThat(source.get("events").asLong()).isEqualTo(1234);
        assertThat(source.get("lagBytes").asLong()).isEqualTo(2048);
        assertThat(source.get("behindSeconds").asDouble()).isEqualTo(1.5);
        assertThat(source.get("snapshotProgress").asDouble()).isEqualTo(0.25);

        Map<String, JsonNode> pipelines = byName(overview.get("pipelines"), "name");
        assertThat(pipelines).containsOnlyKeys("retail.customers", "retail.orders", "retail.order_lines");
        assertThat(pipelines.get("retail.orders").get("applied").asLong()).isEqualTo(498);
        assertThat(pipelines.get("retail.orders").get("freshnessP99Ms").asLong()).isEqualTo(1900);
        assertThat(pipelines.get("retail.orders").get("applyPath").asText()).isEqualTo("equality upsert");
        assertThat(pipelines.get("retail.customers").get("state").asText()).isEqualTo("FAILED");
        assertThat(pipelines.get("retail.customers").get("freshnessP50Ms").isNull()).as("no data is not -1 ms").isTrue();
        assertThat(pipelines.get("retail.customers").get("lastError").asText()).contains("string in the events");
        assertThat(pipelines.get("retail.order_lines").get("state").asText()).isEqualTo("NOT RUNNING");

        JsonNode table = overview.get("tables").get(0);
        assertThat(table.get("name").asText()).isEqualTo("retail.orders");
        assertThat(table.get("dataFiles").asLong()).isEqualTo(1);
        assertThat(table.get("averageFileBytes").asLong()).isEqualTo(4096);
        assertThat(table.get("rows").asLong()).isEqualTo(40);
        assertThat(table.get("snapshots").asInt()).isEqualTo(1);

        assertThat(table.get("lastMaintenanceMs").asLong()).isPositive();
        assertThat(table.get("lastMaintenance").asText()).startsWith("retail.orders: data files 40 -> 1");

        JsonNode gate = overview.get("migrations").get(0).get("gates").get(0);
        assertThat(gate.get("passed").asBoolean()).isFalse();
        assertThat(gate.get("evidence").asText()).isEqualTo("no reconciliation since entering SHADOW");
    }

    @Test
    void servesThePageAndEachViewAndAnswersSupervisors() throws Exception {
        HttpResponse<String> page = get("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>Lakeshift console</title>", "console.js");
        assertThat(get("console.js").body()).contains("api/overview");
        assertThat(get("console.css").statusCode()).isEqualTo(200);
        for (String view : List.of("sources", "pipelines", "tables", "migrations", "history")) {
            HttpResponse<String> response = get("api/" + view);
            assertThat(response.statusCode()).as(view).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        }
        assertThat(get("api/nothing").statusCode()).isEqualTo(404);
        assertThat(get("../etc/passwd").statusCode()).isEqualTo(404);
        assertThat(get("health").body()).isEqualTo("ok\n");
        assertThat(get("ready").statusCode()).isEqualTo(200);
        HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(console.url() + "api/overview"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void metricsHoldEachTablesHealthAndLastMaintenanceInTextAndProtobuf() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("metrics").body())
                .contains("lakeshift_table_data_files{part=\"console\",table=\"retail.orders\"} 1.0"));
        String text = get("metrics").body();
        assertThat(text).contains("lakeshift_table_average_file_bytes{part=\"console\",table=\"retail.orders\"} 4096.0",
                "lakeshift_maintenance_last_rewritten_data_files{part=\"console\",table=\"retail.orders\"} 40.0",
                "lakeshift_maintenance_last_duration_seconds{part=\"console\",table=\"retail.orders\"} 2.5",
                "lakeshift_maintenance_last_failed{part=\"console\",table=\"retail.orders\"} 0.0", "jvm_memory_used_bytes");

        // what a Prometheus server asks for first: the protobuf format, read here by the client's own parser
        HttpResponse<InputStream> proto = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(console.url() + "metrics"))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(proto.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("protobuf"));
        Map<String, Metrics.MetricFamily> families = new java.util.HashMap<>();
        try (InputStream in = proto.body()) {
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(family.getName(), family);
            }
        }
        assertThat(families).containsKeys("lakeshift_table_snapshots", "lakeshift_table_delete_files",
                "lakeshift_maintenance_last_expired_snapshots", "lakeshift_maintenance_last_run_timestamp_seconds");
        assertThat(families.get("lakeshift_maintenance_last_expired_snapshots").getMetric(0).getGauge().getValue()).isEqualTo(12.0);
    }

    @Test
    void aViewThatCannotBeReadIsSaidOnThePageAndMakesTheConsoleNotReady() throws Exception {
        migrationsFail.set(new IllegalStateException("cannot read the migration store"));
        console.close(); // a console that never read them (a good read is kept for CATALOG_REFRESH_MS)
        console = ConsoleServer.start(new ConsoleConfig(0, "127.0.0.1", true), views, 1_000);
        JsonNode overview = JSON.readTree(get("api/overview").body());
        assertThat(overview.get("migrations")).isEmpty();
        assertThat(overview.get("migrationsError").asText()).isEqualTo("cannot read the migration store");
        assertThat(overview.get("sources")).hasSize(1);
        HttpResponse<String> ready = get("ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("cannot read the migrations: cannot read the migration store");
    }

    @Test
    void aTakenPortNamesTheSetting() {
        int taken = Integer.parseInt(console.url().replaceAll(".*:(\\d+)/$", "$1"));
        ConsoleViews views = new ConsoleViews(ConfigLoader.load(null, dataDir, List.of()), catalog, List::of, Clock.systemUTC());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConsoleServer.start(new ConsoleConfig(taken, "127.0.0.1", true), views, 1_000))
                .hasMessageContaining("console.port").hasMessageContaining("taken");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(console.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, JsonNode> byName(JsonNode array, String field) {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        array.forEach(n -> out.put(n.get(field).asText(), n));
        return out;
    }
}
