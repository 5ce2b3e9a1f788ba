package io.lakeshift.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that after a crash, a power loss or a full disk it holds either its old or
 * its new content, never a mix or a truncated copy: the bytes go to a temporary file beside it,
 * which is flushed to disk, renamed over the target in one step, and the folder's entry is
 * flushed too (otherwise the rename itself may be lost with the power).
 */
public final class AtomicFiles {

    /** Suffix of the temporary file, beside the target, while a write is under way. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** The temporary file a write of {@code target} goes through; left behind only by a crash. */
    public static Path tempFileOf(Path target) {
        return target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    }

    /**
     * Writes {@code content} to {@code target} atomically and durably.
     *
     * @throws IOException when the content could not be made durable; {@code target} is then unchanged
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path temp = tempFileOf(target);
        try {
            Files.deleteIfExists(temp); // a leftover of a crash may have other permissions
            // owner-only: offsets and state name hosts and positions no other account needs to read
            try (FileChannel channel = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    OwnerOnly.fileAttributes(temp))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically on this file system: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Flushes a folder's entries, so a rename inside it survives a power loss. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a folder as a channel; the rename is as durable as they allow.
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }
}
