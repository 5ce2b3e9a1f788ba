package io.lakeshift.core.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders and files only their owner can read: Lakeshift's state (offsets, status, migrations, job
 * configurations) names hosts, users and positions, and job configurations may reference secrets,
 * so other accounts on the machine get nothing ({@code 0700} folders, {@code 0600} files). On a file
 * system without POSIX permissions (Windows) the platform's defaults apply.
 */
public final class OwnerOnly {

    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates {@code dir} and every missing parent owner-only; folders that exist keep their permissions. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            if (posix(parent)) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(FOLDER));
                // the umask may have taken bits away from the attribute; never added any
                Files.setPosixFilePermissions(absolute, FOLDER);
            } else {
                Files.createDirectory(absolute);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return dir;
    }

    /** The attribute that creates a file owner-only, or none where the file system has no POSIX permissions. */
    public static FileAttribute<?>[] fileAttributes(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return posix(parent) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Makes an existing file owner-only (a file written before this version, or by a plain {@code Files.write}). */
    public static void restrict(Path file) throws IOException {
        if (posix(file.toAbsolutePath().getParent())) {
            Files.setPosixFilePermissions(file, Files.isDirectory(file) ? FOLDER : FILE);
        }
    }

    /** Writes a small file owner-only (created so, never readable by others in between), replacing it. */
    public static void writeString(Path file, String content) throws IOException {
        createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.createFile(file, fileAttributes(file));
        }
        restrict(file);
        Files.writeString(file, content, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean posix(Path existing) {
        return existing != null && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
