package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.Secret;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default catalog database: a JDBC catalog kept in a PostgreSQL server under the
 * data folder, shared by every Lakeshift process, and readable by any engine that reads JDBC
 * catalogs in PostgreSQL.
 */
class EmbeddedCatalogDatabaseIT {

    @TempDir
    Path dataDir;

    private LakeshiftConfig config(String uri) {
        LakeshiftConfig defaults = ConfigLoader.load(null, dataDir, List.of());
        return CatalogRuntime.withCatalog(defaults, new CatalogConfig("lakeshift", "jdbc", uri,
                dataDir.resolve("warehouse").toString(), "", Secret.empty(), Map.of()));
    }

    @Test
    void startsOnceKeepsItsDataAndItsPort() throws Exception {
        int port;
        try (CatalogRuntime runtime = CatalogRuntime.start(config("embedded"))) {
            assertThat(runtime.catalog().uri()).matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/lakeshift_catalog");
            assertThat(runtime.catalog().username()).isEqualTo("postgres");
            port = Integer.parseInt(runtime.catalog().uri().replaceAll(".*:(\\d+)/.*", "$1"));
            Catalog catalog = runtime.open();
            try {
                TestTables.append(TestTables.create(catalog, "retail.orders"), 1_000, 10, null, null);
            } finally {
                IcebergCatalogs.close(catalog);
            }
            // What another engine sees: Iceberg's catalog tables in a plain PostgreSQL database.
            try (Connection c = DriverManager.getConnection(runtime.catalog().uri(), "postgres", "");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT catalog_name, table_namespace, table_name, metadata_location"
                            + " FROM iceberg_tables")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("lakeshift");
                assertThat(rs.getString(2)).isEqualTo("retail");
                assertThat(rs.getString(3)).isEqualTo("orders");
                assertThat(rs.getString(4)).endsWith(".metadata.json");
            }
        }
        assertThat(EmbeddedCatalogDatabase.runningPort(dataDir.resolve(CatalogRuntime.EMBEDDED_DIR))).isNull();

        try (CatalogRuntime again = CatalogRuntime.start(config("embedded"))) {
            assertThat(again.catalog().uri()).contains(":" + port + "/");
            Catalog catalog = again.open();
            try {
                assertThat(catalog.loadTable(TableIdentifier.of("retail", "orders")).currentSnapshot()).isNotNull();
            } finally {
                IcebergCatalogs.close(catalog);
            }
        }
    }

    @Test
    void aSecondProcessAttachesAndLeavesTheServerRunning() throws Exception {
        try (CatalogRuntime first = CatalogRuntime.start(config("embedded"))) {
            try (CatalogRuntime second = CatalogRuntime.start(config("embedded"))) {
                assertThat(second.catalog().uri()).isEqualTo(first.catalog().uri());
            }
            Path db = dataDir.resolve(CatalogRuntime.EMBEDDED_DIR);
            assertThat(EmbeddedCatalogDatabase.runningPort(db)).isNotNull();
            Catalog catalog = first.open();
            try {
                TestTables.create(catalog, "retail.orders");
            } finally {
                IcebergCatalogs.close(catalog);
            }
        }
    }

    @Test
    void codeThatOpensTheConfiguredCatalogGetsTheDatabaseOnDemand() throws Exception {
        LakeshiftConfig lazy = config("embedded:" + dataDir.resolve("on-demand-db"));

        Catalog catalog = IcebergCatalogs.open(lazy.catalog());
        try {
            TestTables.create(catalog, "retail.orders");
        } finally {
            IcebergCatalogs.close(catalog);
        }
        String uri = CatalogProperties.of(lazy.catalog()).get("uri");
        assertThat(uri).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/lakeshift_catalog");
        assertThat(CatalogProperties.sparkConf(lazy.catalog())).containsEntry("spark.sql.catalog.lakeshift.uri", uri);
        try (CatalogRuntime runtime = CatalogRuntime.start(lazy)) {
            assertThat(runtime.catalog().uri()).isEqualTo(uri);
        }
        assertThat(EmbeddedCatalogDatabase.runningPort(dataDir.resolve("on-demand-db"))).isNotNull();
    }

    @Test
    void otherCatalogsAreUsedAsConfigured() {
        LakeshiftConfig sqlite = config("jdbc:sqlite:" + dataDir.resolve("catalog.db"));
        try (CatalogRuntime runtime = CatalogRuntime.start(sqlite)) {
            assertThat(runtime.config()).isSameAs(sqlite);
        }
        assertThatThrownBy(() -> CatalogRuntime.resolve(new CatalogConfig("lakeshift", "jdbc", "embedded", "s3a://lake/wh", "",
                Secret.empty(), Map.of()))).hasMessageContaining("use embedded:<folder> or a JDBC URL");
        assertThatThrownBy(() -> CatalogRuntime.embeddedPort("embedded:abc")).hasMessageContaining("needs a port number");
        assertThat(CatalogRuntime.embeddedPort("embedded:15432")).isEqualTo(15432);
    }
}
