package io.lakeshift.camel.jms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Numbers that only grow, across restarts: handed out from blocks whose end is written to disk (and
 * fsynced) before the block is used, so a restart continues after the last block, never below a
 * number already handed out. Thread-safe.
 */
final class SequenceBlocks {

    private static final long BLOCK = 1000;

    private final Path file;
    private long next;
    private long blockEnd;

    SequenceBlocks(Path file) {
        this.file = file;
        try {
            this.next = Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()) : 1;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the message sequence " + file, e);
        }
        this.blockEnd = next;
    }

    synchronized long next() {
        if (next >= blockEnd) {
            blockEnd = next + BLOCK;
            persist(blockEnd);
        }
        return next++;
    }

    private void persist(long value) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the message sequence " + file, e);
        }
    }
}
