package io.lakeshift.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {

    @TempDir
    Path dir;

    @Test
    void stateFoldersAndFilesAreOwnerOnly() throws Exception {
        Path dataDir = dir.resolve("data");
        Path offsets = dataDir.resolve("offsets").resolve("retail.offsets");

        OwnerOnly.createDirectories(offsets.getParent());
        AtomicFiles.write(offsets, "{}".getBytes());
        OwnerOnly.writeString(dataDir.resolve("migrations/jobs/migrate-x.yaml"), "a: 1\n");

        assertThat(permissions(dataDir)).isEqualTo("rwx------");
        assertThat(permissions(offsets.getParent())).isEqualTo("rwx------");
        assertThat(permissions(offsets)).isEqualTo("rw-------");
        assertThat(permissions(dataDir.resolve("migrations"))).isEqualTo("rwx------");
        assertThat(permissions(dataDir.resolve("migrations/jobs/migrate-x.yaml"))).isEqualTo("rw-------");
    }

    @Test
    void statusFilesAreOwnerOnly() throws Exception {
        Path dataDir = dir.resolve("data");
        StatusFiles status = new StatusFiles(dataDir, "sources");

        status.write(new ComponentStatus("retail", "postgres", "STREAMING", 1, System.currentTimeMillis(), null, null));

        assertThat(permissions(dataDir)).isEqualTo("rwx------");
        assertThat(permissions(dataDir.resolve("status/sources"))).isEqualTo("rwx------");
        assertThat(permissions(dataDir.resolve("status/sources/retail.json"))).isEqualTo("rw-------");
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
