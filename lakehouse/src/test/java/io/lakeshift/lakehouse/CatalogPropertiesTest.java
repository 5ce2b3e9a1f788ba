package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.Secret;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Catalog config to Iceberg properties, per catalog type, and credentials kept out of text. */
class CatalogPropertiesTest {

    @Test
    void jdbcCatalogInPostgres() {
        CatalogConfig c = new CatalogConfig("lakeshift", "jdbc", "jdbc:postgresql://db:5432/iceberg", "s3a://lake/wh",
                "iceberg", Secret.of("pw-1"), Map.of());

        assertThat(CatalogProperties.of(c)).containsEntry("type", "jdbc").containsEntry("uri", "jdbc:postgresql://db:5432/iceberg")
                .containsEntry("warehouse", "s3a://lake/wh").containsEntry("jdbc.user", "iceberg")
                .containsEntry("jdbc.password", "pw-1").containsEntry("jdbc.schema-version", "V1")
                .containsEntry("io-impl", CatalogProperties.HADOOP_FILE_IO);
    }

    @Test
    void hadoopCatalogHasNoUri() {
        CatalogConfig c = new CatalogConfig("lake", "hadoop", "ignored", "hdfs://nn:8020/warehouse", "", Secret.empty(), Map.of());

        assertThat(CatalogProperties.of(c)).containsEntry("type", "hadoop").containsEntry("warehouse", "hdfs://nn:8020/warehouse")
                .doesNotContainKey("uri").doesNotContainKey("jdbc.user");
    }

    @Test
    void restCatalogWithATokenOrClientCredentials() {
        CatalogConfig token = new CatalogConfig("lake", "rest", "https://catalog.example/api", "prod", "", Secret.of("tok-1"), Map.of());
        CatalogConfig oauth = new CatalogConfig("lake", "rest", "https://catalog.example/api", "prod", "client-7",
                Secret.of("s3cret"), Map.of("io-impl", "org.apache.iceberg.aws.s3.S3FileIO"));

        assertThat(CatalogProperties.of(token)).containsEntry("uri", "https://catalog.example/api").containsEntry("token", "tok-1")
                .doesNotContainKey("credential");
        assertThat(CatalogProperties.of(oauth)).containsEntry("credential", "client-7:s3cret").doesNotContainKey("token")
                .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    }

    @Test
    void hadoopSettingsPassThroughPerCatalog() {
        CatalogConfig c = new CatalogConfig("lake", "hadoop", "", "s3a://lake/wh", "", Secret.empty(),
                Map.of("hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000", "hadoop.fs.s3a.path.style.access", "true"));

        assertThat(CatalogProperties.hadoopConf(c)).containsEntry("fs.s3a.endpoint", "http://127.0.0.1:9000")
                .containsEntry("fs.s3a.path.style.access", "true").hasSize(2);
        assertThat(IcebergCatalogs.hadoopConfiguration(c).get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
        assertThat(CatalogProperties.sparkConf(c)).containsEntry("spark.sql.catalog.lake.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000");
    }

    @Test
    void redactionMasksEveryCredential() {
        CatalogConfig c = new CatalogConfig("lake", "jdbc", "jdbc:postgresql://db/iceberg?user=x&password=pw-in-url", "s3a://lake/wh",
                "iceberg", Secret.of("pw-2"), Map.of("hadoop.fs.s3a.secret.key", "aws-secret", "hadoop.fs.s3a.access.key", "AKIA1",
                        "s3.endpoint", "http://minio:9000"));

        Map<String, String> safe = CatalogProperties.redacted(CatalogProperties.of(c));

        assertThat(safe.toString()).doesNotContain("pw-2", "aws-secret", "AKIA1", "pw-in-url")
                .contains("http://minio:9000", "jdbc.user=iceberg");
        assertThat(CatalogProperties.describe(c)).isEqualTo(
                "jdbc catalog 'lake' at jdbc:postgresql://db/iceberg?user=x&password=******, warehouse s3a://lake/wh");
        assertThat(CatalogProperties.redactUri("https://bob:hunter2@catalog/api")).isEqualTo("https://bob:******@catalog/api");
    }
}
