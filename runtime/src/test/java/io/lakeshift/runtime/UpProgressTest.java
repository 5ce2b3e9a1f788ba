package io.lakeshift.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpProgressTest {

    @TempDir
    Path dataDir;

    @Test
    void reportsStateChangesErrorsAndALinePerSourceAndPipelineOnceTheyStream() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long start = System.currentTimeMillis() - 1;
        UpProgress progress = new UpProgress(dataDir, new PrintStream(bytes, true, StandardCharsets.UTF_8), start);
        StatusFiles sources = new StatusFiles(dataDir, "sources");
        StatusFiles pipelines = new StatusFiles(dataDir, "pipelines");
        sources.write(status("erp", "SNAPSHOTTING", Map.of("snapshotRows", 1200L), Map.of()));
        progress.report(System.currentTimeMillis());
        sources.write(status("erp", "STREAMING", Map.of("events", 5000L), Map.of()));
        pipelines.write(status("erp.customer", "RUNNING", Map.of("rowsApplied", 4000L), Map.of("freshnessP50Ms", "800")));
        pipelines.write(status("erp.order", "FAILED", Map.of(), Map.of("lastError", "incompatible change of column total")));
        progress.report(System.currentTimeMillis());
        pipelines.write(status("erp.order", "RUNNING", Map.of("rowsApplied", 10L), Map.of()));
        progress.report(System.currentTimeMillis());

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("source erp is snapshotting", "source erp: snapshot running, 1,200 rows read",
                "source erp is streaming", "pipeline erp.order is failed: incompatible change of column total",
                "pipeline erp.order is running");
        assertThat(out).containsPattern("pipeline erp.customer +running +4,000 applied, 0 dead letters, freshness p50 800 ms");
    }

    @Test
    void statusLeftByAnEarlierRunIsIgnored() {
        new StatusFiles(dataDir, "sources").write(new ComponentStatus("old", "postgres", "FAILED", 1, 1_000, Map.of(), Map.of()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new UpProgress(dataDir, new PrintStream(bytes, true, StandardCharsets.UTF_8), System.currentTimeMillis())
                .report(System.currentTimeMillis());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("old");
    }

    private static ComponentStatus status(String name, String state, Map<String, Long> counters, Map<String, String> details) {
        return new ComponentStatus(name, "x", state, 1, System.currentTimeMillis(), counters, details);
    }
}
