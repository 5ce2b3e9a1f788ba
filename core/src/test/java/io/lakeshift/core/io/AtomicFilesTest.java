package io.lakeshift.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("state.bin");
        AtomicFiles.write(target, bytes("first"));
        AtomicFiles.write(target, bytes("second, longer"));

        assertThat(target).hasContent("second, longer");
        assertThat(AtomicFiles.tempFileOf(target)).doesNotExist();
        assertThat(dir).isDirectoryContaining(p -> p.equals(target));
    }

    @Test
    void aLeftoverTemporaryFileFromACrashIsOverwritten() throws Exception {
        Path target = dir.resolve("state.bin");
        AtomicFiles.write(target, bytes("committed"));
        Files.write(AtomicFiles.tempFileOf(target), bytes("half-writ"));

        AtomicFiles.write(target, bytes("next"));

        assertThat(target).hasContent("next");
        assertThat(AtomicFiles.tempFileOf(target)).doesNotExist();
    }

    @Test
    void aFailedWriteLeavesTheOldContent() throws Exception {
        Path target = dir.resolve("state.bin");
        AtomicFiles.write(target, bytes("committed"));
        // The temporary path is taken by a folder: the write fails before the rename.
        Files.createDirectory(AtomicFiles.tempFileOf(target));
        Files.writeString(AtomicFiles.tempFileOf(target).resolve("x"), "keeps the folder non-empty");

        assertThatThrownBy(() -> AtomicFiles.write(target, bytes("lost"))).isInstanceOf(IOException.class);
        assertThat(target).hasContent("committed");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
