package io.lakeshift.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackEveryComponentSortedByName() {
        StatusFiles files = new StatusFiles(dir, "sources");
        files.write(new ComponentStatus("b", "file", "RUNNING", 42, 1000, Map.of("events", 7L), Map.of()));
        files.write(new ComponentStatus("a", "postgres", "STREAMING", 42, 1001, Map.of(), Map.of("lastPosition", "lsn=0/1")));
        files.write(new ComponentStatus("a", "postgres", "FAILED", 42, 1002, Map.of(), Map.of("lastError", "boom")));

        assertThat(files.readAll()).extracting(ComponentStatus::name, ComponentStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "FAILED"), org.assertj.core.groups.Tuple.tuple("b", "RUNNING"));
        files.delete("a");
        assertThat(files.readAll()).extracting(ComponentStatus::name).containsExactly("b");
        assertThat(new StatusFiles(dir, "none").readAll()).isEmpty();
    }
}
