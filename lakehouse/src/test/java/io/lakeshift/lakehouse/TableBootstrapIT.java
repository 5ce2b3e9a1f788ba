package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.envelope.LogicalType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table bootstrap from a real PostgreSQL table's metadata into a real JDBC (SQLite) catalog. */
class TableBootstrapIT {

    @TempDir
    Path dir;

    @Test
    void createsTheTableFromTheSourceSchemaOnceWithItsKey() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                Connection c = pg.getPostgresDatabase().getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE public.order_lines (order_id bigint NOT NULL, line_no int NOT NULL,"
                        + " unit_price numeric(10,2) NOT NULL, note text, placed_at timestamptz, shipped_at timestamp,"
                        + " payload jsonb, PRIMARY KEY (order_id, line_no))");
            }
            SourceTable source = SourceTable.read(c, "public", "order_lines");
            assertThat(source.primaryKey()).containsExactly("order_id", "line_no");

            CatalogConfig config = new CatalogConfig("lakeshift", "jdbc", "jdbc:sqlite:" + dir.resolve("catalog.db"),
                    dir.resolve("warehouse").toString(), "", Secret.empty(), Map.of());
            Catalog catalog = IcebergCatalogs.open(config);
            Table table = new TableBootstrap(catalog).ensureTable("shop.order_lines", source, List.of(), true);

            Schema schema = table.schema();
            assertThat(schema.identifierFieldNames()).containsExactlyInAnyOrder("order_id", "line_no");
            assertThat(schema.findField("unit_price").type()).isEqualTo(Types.DecimalType.of(10, 2));
            assertThat(schema.findField("unit_price").isRequired()).isTrue();
            assertThat(schema.findField("note").isOptional()).isTrue();
            assertThat(schema.findField("placed_at").type()).isEqualTo(Types.TimestampType.withZone());
            assertThat(schema.findField("shipped_at").type()).isEqualTo(Types.TimestampType.withoutZone());
            assertThat(schema.findField("payload").type()).isEqualTo(Types.StringType.get());
            assertThat(schema.findField(LakeshiftColumns.SEQ_HI)).isNotNull();
            assertThat(((HasTableOperations) table).operations().current().formatVersion()).isEqualTo(2);
            assertThat(table.properties()).containsEntry("write.merge.mode", "merge-on-read");

            // A second bootstrap finds the table and leaves it as it is.
            Table again = new TableBootstrap(catalog).ensureTable("shop.order_lines", source, List.of(), true);
            assertThat(again.schema().sameSchema(schema)).isTrue();
            assertThat(catalog.tableExists(TableIdentifier.of("shop", "order_lines"))).isTrue();
        }
    }

    @Test
    void appliesThePipelinesPartitionSpecSortOrderAndWriteModeAndEvolvesThem() throws Exception {
        SourceTable source = new SourceTable("retail", "orders", List.of(
                new SourceTable.SourceColumn("order_id", LogicalType.INT64, false, "int8"),
                new SourceTable.SourceColumn("customer_id", LogicalType.INT64, false, "int8"),
                new SourceTable.SourceColumn("order_date", LogicalType.DATE, false, "date")),
                List.of("order_id"));
        CatalogConfig config = new CatalogConfig("lakeshift", "jdbc", "jdbc:sqlite:" + dir.resolve("catalog.db"),
                dir.resolve("warehouse").toString(), "", Secret.empty(), Map.of());
        Catalog catalog = IcebergCatalogs.open(config);
        try {
            PipelineConfig pipeline = new PipelineConfig("retail.orders", "retail", "retail.orders", "retail.orders", List.of(),
                    "STREAMING", null, null, "copy-on-write", List.of("days(order_date)"), List.of("customer_id DESC"), null);
            Table table = new TableBootstrap(catalog).ensureTable(pipeline, source, true);

            assertThat(table.spec().fields()).extracting(f -> f.transform().toString()).containsExactly("day");
            assertThat(table.sortOrder().fields()).hasSize(1);
            assertThat(((HasTableOperations) table).operations().current().formatVersion()).isEqualTo(2);
            assertThat(table.properties()).containsEntry("write.merge.mode", "copy-on-write")
                    .containsEntry("lakeshift.source", "retail.orders")
                    .containsEntry("write.metadata.delete-after-commit.enabled", "true");

            PipelineConfig changed = new PipelineConfig("retail.orders", "retail", "retail.orders", "retail.orders", List.of(),
                    "STREAMING", null, null, "copy-on-write", List.of("days(order_date)", "bucket(4, customer_id)"), List.of(),
                    null);
            Table evolved = new TableBootstrap(catalog).ensureTable(changed, source, true);
            assertThat(evolved.spec().fields()).extracting(f -> f.transform().toString()).containsExactly("day", "bucket[4]");
            assertThat(evolved.sortOrder().isUnsorted()).isTrue();
            assertThat(evolved.specs()).hasSize(2);

            // Declaring the same layout again changes nothing.
            new TableBootstrap(catalog).ensureTable(changed, source, true);
            evolved.refresh();
            assertThat(evolved.specs()).hasSize(2);
        } finally {
            IcebergCatalogs.close(catalog);
        }
    }

    @Test
    void sparkAndJavaSeeTheSameCatalogProperties() {
        CatalogConfig config = new CatalogConfig("lakeshift", "jdbc", "jdbc:postgresql://db/catalog", "s3a://lake/wh",
                "iceberg", Secret.of("pw-123"), Map.of("io-impl", "org.apache.iceberg.aws.s3.S3FileIO"));

        Map<String, String> spark = CatalogProperties.sparkConf(config);

        assertThat(spark).containsEntry("spark.sql.catalog.lakeshift", "org.apache.iceberg.spark.SparkCatalog")
                .containsEntry("spark.sql.catalog.lakeshift.type", "jdbc")
                .containsEntry("spark.sql.catalog.lakeshift.uri", "jdbc:postgresql://db/catalog")
                .containsEntry("spark.sql.catalog.lakeshift.jdbc.user", "iceberg")
                .containsEntry("spark.sql.catalog.lakeshift.jdbc.password", "pw-123")
                .containsEntry("spark.sql.catalog.lakeshift.io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        assertThat(config.toString()).doesNotContain("pw-123");
    }
}
