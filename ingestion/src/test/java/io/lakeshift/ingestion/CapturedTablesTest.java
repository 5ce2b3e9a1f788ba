package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapturedTablesTest {

    @TempDir
    Path state;

    @Test
    void aNewSourceHasReadNothingUntilItsSnapshotIsDone() throws Exception {
        CapturedTables tables = CapturedTables.load(state, "erp", false, List.of("erp.a", "erp.b"));
        assertThat(tables.missing(List.of("erp.a", "erp.b"))).containsExactly("erp.a", "erp.b");
        assertThat(CapturedTables.fileOf(state, "erp")).doesNotExist();

        tables.add(List.of("erp.a", "erp.b"));

        assertThat(Files.readAllLines(CapturedTables.fileOf(state, "erp"))).containsExactly("erp.a", "erp.b");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(CapturedTables.fileOf(state, "erp"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aTableAddedLaterIsMissingAfterARestartUntilRecorded() {
        CapturedTables.load(state, "erp", false, List.of("erp.a")).add(List.of("erp.a"));

        CapturedTables restarted = CapturedTables.load(state, "erp", true, List.of("erp.a", "erp.Added"));
        assertThat(restarted.missing(List.of("erp.a", "erp.Added"))).containsExactly("erp.Added");

        restarted.add(List.of("erp.Added"));
        assertThat(CapturedTables.load(state, "erp", true, List.of("erp.a", "erp.Added")).missing(List.of("erp.a", "erp.Added")))
                .isEmpty();
    }

    @Test
    void aSourceCapturedBeforeTheRecordWasKeptCountsEveryConfiguredTableAsRead() throws Exception {
        CapturedTables legacy = CapturedTables.load(state, "erp", true, List.of("erp.a", "erp.b"));

        assertThat(legacy.missing(List.of("erp.a", "erp.b"))).isEmpty();
        assertThat(Files.readAllLines(CapturedTables.fileOf(state, "erp"))).containsExactly("erp.a", "erp.b");
    }
}
