package io.lakeshift.cli.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.orchestration.launcher.JobLauncher;
import io.lakeshift.orchestration.launcher.JobLaunchers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherIngestionTest {

    @TempDir
    Path dir;

    @Test
    void aSourceCapturedByARunningServiceIsLeftAlone() {
        LakeshiftConfig config = ConfigLoader.load(null, dir, List.of("kafka.bootstrapServers=kafka.internal:9092",
                "sources[0].host=db.internal"));
        status(config, "STREAMING", System.currentTimeMillis());
        JobLauncher launcher = JobLaunchers.local(dir.resolve("jobs"));

        new LauncherIngestion(config, null, List.of(), launcher).ensureCapturing(config.sources().get(0));

        assertThat(launcher.status("ingest-retail").running()).isFalse();
        assertThat(dir.resolve("jobs")).satisfies(d -> assertThat(!Files.exists(d) || isEmpty(d)).isTrue());
    }

    @Test
    void withAnEmbeddedBrokerAStaleSourceIsAnErrorThatSaysWhatToRun() {
        LakeshiftConfig config = ConfigLoader.load(null, dir, List.of("sources[0].host=db.internal"));
        status(config, "STREAMING", System.currentTimeMillis() - LauncherIngestion.STALE.toMillis() - 60_000);

        assertThatThrownBy(() -> new LauncherIngestion(config, null, List.of(), JobLaunchers.local(dir.resolve("jobs")))
                .ensureCapturing(config.sources().get(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("source 'retail' is not being captured")
                .hasMessageContaining("s old")
                .hasMessageContaining("run 'lakeshift ingest'");
    }

    private static void status(LakeshiftConfig config, String state, long at) {
        new StatusFiles(config.dataDir(), "sources").write(new ComponentStatus("retail", "postgres", state, 1L, at,
                Map.of("events", 10L), Map.of()));
    }

    private static boolean isEmpty(Path d) {
        try (var list = Files.list(d)) {
            return list.findAny().isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
