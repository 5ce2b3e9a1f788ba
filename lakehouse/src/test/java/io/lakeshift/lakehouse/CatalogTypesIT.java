package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hadoop and SQLite-backed jdbc catalog types, each on a local warehouse, through the Hadoop client. */
class CatalogTypesIT {

    @TempDir
    Path dir;

    @Test
    void hadoopCatalogKeepsEverythingUnderTheWarehouse() {
        CatalogConfig config = new CatalogConfig("lake", "hadoop", "", "file:" + dir.resolve("wh"), "", Secret.empty(), Map.of());
        Catalog catalog = IcebergCatalogs.open(config);
        try {
            Table table = TestTables.create(catalog, "retail.orders");
            TestTables.append(table, 1_000, 10, null, null);

            assertThat(Files.isDirectory(dir.resolve("wh/retail/orders/metadata"))).isTrue();
            Table loaded = catalog.loadTable(TableIdentifier.of("retail", "orders"));
            assertThat(TableHealth.of("retail.orders", loaded, HealthThresholds.defaults(), Clock.systemUTC()).dataFiles())
                    .isEqualTo(1);
            assertThat(loaded.io().getClass().getName()).isEqualTo(CatalogProperties.HADOOP_FILE_IO);
        } finally {
            IcebergCatalogs.close(catalog);
        }
    }

    @Test
    void jdbcCatalogInSqliteCreatesItsFolders() {
        CatalogConfig config = new CatalogConfig("lake", "jdbc", "jdbc:sqlite:" + dir.resolve("nested/catalog.db"),
                dir.resolve("nested/wh").toString(), "", Secret.empty(), Map.of());
        Catalog catalog = IcebergCatalogs.open(config);
        try {
            TestTables.create(catalog, "retail.orders");
            assertThat(Files.exists(dir.resolve("nested/catalog.db"))).isTrue();
            assertThat(IcebergCatalogs.allTables(catalog)).containsExactly(TableIdentifier.of("retail", "orders"));
        } finally {
            IcebergCatalogs.close(catalog);
        }
    }
}
