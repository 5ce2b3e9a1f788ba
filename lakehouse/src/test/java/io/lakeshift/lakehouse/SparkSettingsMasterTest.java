package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSettingsMasterTest {

    @TempDir
    Path dir;

    private Map<String, Object> settings(String master) {
        LakeshiftConfig config = ConfigLoader.load(null, dir, List.of("catalog.type=hadoop", "catalog.warehouse=file:" + dir,
                "spark.master=" + master));
        return SparkSettings.of(config, "test");
    }

    @Test
    void inLocalModeTheDriverStaysOnLoopbackWithoutAUi() {
        Map<String, Object> conf = settings("local[2]");

        assertThat(conf).containsEntry("spark.master", "local[2]").containsEntry("spark.driver.host", "127.0.0.1")
                .containsEntry("spark.driver.bindAddress", "127.0.0.1").containsEntry("spark.ui.enabled", "false");
    }

    @Test
    void onAClusterTheExecutorsReachTheDriverAtItsOwnAddress() {
        Map<String, Object> conf = settings("spark://spark-master.internal:7077");

        assertThat(conf).containsEntry("spark.master", "spark://spark-master.internal:7077")
                .doesNotContainKeys("spark.driver.host", "spark.driver.bindAddress", "spark.ui.enabled");
    }
}
