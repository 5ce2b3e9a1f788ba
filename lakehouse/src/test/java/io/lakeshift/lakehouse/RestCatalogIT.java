package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.envelope.LogicalType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST catalog type against a real Iceberg REST catalog server, running in its own process:
 * table bootstrap with a partition spec, commits, health, snapshot listing and expiry all go
 * through the REST protocol, and the catalog token never reaches a log line.
 */
class RestCatalogIT {

    private static final String TOKEN = "rest-token-4f9a1c";

    @TempDir
    static Path dir;

    private static RestCatalogServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = RestCatalogServerProcess.start(dir.resolve("server"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static CatalogConfig restCatalog() {
        return new CatalogConfig("lakeshift", "rest", server.uri(), "", "", Secret.of(TOKEN), Map.of());
    }

    @Test
    void theServerRunsInAnotherProcess() {
        assertThat(server.pid()).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void bootstrapsCommitsAndMaintainsTablesThroughRest() {
        try (LogCapture logs = LogCapture.start()) {
            Catalog catalog = IcebergCatalogs.open(restCatalog());
            try {
                PipelineConfig pipeline = new PipelineConfig("retail.orders", "retail", "retail.orders", "retail.orders",
                        List.of(), "STREAMING", null, null, null, List.of("days(order_date)"), List.of("customer_id"), null);
                Table table = new TableBootstrap(catalog).ensureTable(pipeline, orders(), true);

                assertThat(table.spec().fields()).hasSize(1);
                assertThat(table.spec().fields().get(0).transform().toString()).isEqualTo("day");
                assertThat(table.sortOrder().isSorted()).isTrue();
                assertThat(table.schema().identifierFieldNames()).containsExactly("order_id");

                Table unpartitioned = TestTables.create(catalog, "retail.events");
                for (long batch = 0; batch < 4; batch++) {
                    TestTables.append(unpartitioned, 1_000, 10, "apply-retail", batch);
                }
                TestTables.append(unpartitioned, 1_000, 10, null, null);

                Table reloaded = catalog.loadTable(TableIdentifier.of("retail", "events"));
                TableHealth health = TableHealth.of("retail.events", reloaded, HealthThresholds.defaults(), Clock.systemUTC());
                assertThat(health.dataFiles()).isEqualTo(5);
                assertThat(health.snapshots()).isEqualTo(5);

                SnapshotExpiry.Result expiry = SnapshotExpiry.expire(reloaded, Duration.ofDays(1), 1,
                        Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC));
                assertThat(expiry.expiredSnapshots()).isEqualTo(3);
                assertThat(TableSnapshots.of("retail.events", catalog.loadTable(TableIdentifier.of("retail", "events")), 10)
                        .snapshots()).hasSize(2);
                assertThat(IcebergCatalogs.allTables(catalog)).extracting(Object::toString)
                        .containsExactly("retail.events", "retail.orders");
            } finally {
                IcebergCatalogs.close(catalog);
            }
            assertThat(logs.lines()).isNotEmpty();
            assertThat(logs.all()).doesNotContain(TOKEN);
        }
    }

    private static SourceTable orders() {
        return new SourceTable("retail", "orders", List.of(
                new SourceTable.SourceColumn("order_id", LogicalType.INT64, false, "int8"),
                new SourceTable.SourceColumn("customer_id", LogicalType.INT64, false, "int8"),
                new SourceTable.SourceColumn("order_date", LogicalType.DATE, false, "date"),
                new SourceTable.SourceColumn("total", LogicalType.decimal(12, 2), false, "numeric")),
                List.of("order_id"));
    }
}
