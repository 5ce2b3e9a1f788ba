package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSettingsRedactionTest {

    @TempDir
    Path dir;

    @Test
    void sparkRedactsEverySettingLakeshiftTreatsAsSecret() {
        LakeshiftConfig config = ConfigLoader.load(null, dir, List.of("catalog.type=hadoop", "catalog.warehouse=file:" + dir));

        Map<String, Object> conf = SparkSettings.of(config, "test");

        Pattern redaction = Pattern.compile((String) conf.get("spark.redaction.regex"));
        for (String secret : List.of("spark.sql.catalog.lakeshift.credential", "spark.sql.catalog.lakeshift.token",
                "spark.hadoop.fs.s3a.secret.key", "spark.hadoop.fs.s3a.access.key", "kafka.sasl.jaas.config",
                "spark.sql.catalog.lakeshift.jdbc.password", "spark.ssl.keyPassword")) {
            assertThat(redaction.matcher(secret).find()).as(secret).isTrue();
        }
        for (String plain : List.of("spark.sql.shuffle.partitions", "spark.sql.catalog.lakeshift.uri", "spark.ssl.keyStore")) {
            assertThat(redaction.matcher(plain).find()).as(plain).isFalse();
        }
    }
}
