package io.lakeshift.camel.file;

import io.lakeshift.camel.record.UnreadableInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A file's identity for the processed-files log (name, size and CRC-32C of the content), computed in
 * one pass that also checks the whole file is valid text in its charset, so that a file in the wrong
 * encoding goes to the error folder before any of it becomes an event.
 *
 * <p>UTF-8, US-ASCII and ISO-8859-1 are checked on the bytes (most of a file is ASCII, which needs no
 * decoding); other charsets go through their decoder.
 */
final class FileFingerprint {

    private static final int BUFFER = 64 * 1024;

    private FileFingerprint() {
    }

    /**
     * @return {@code name|size|crc32c}
     * @throws UnreadableInputException when the content is not valid in {@code charset}, naming where
     */
    static String of(Path file, String name, Charset charset) throws IOException, UnreadableInputException {
        Checker checker = charset.equals(StandardCharsets.UTF_8) ? new Utf8Checker()
                : charset.equals(StandardCharsets.US_ASCII) ? new AsciiChecker()
                : charset.equals(StandardCharsets.ISO_8859_1) ? (bytes, n, eof) -> -1
                : new DecoderChecker(charset);
        CRC32C crc = new CRC32C();
        long offset = 0;
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                crc.update(buf, 0, n);
                int bad = checker.check(buf, n, false);
                if (bad >= 0) {
                    throw invalid(file, charset, offset + bad);
                }
                offset += n;
            }
            int bad = checker.check(buf, 0, true);
            if (bad >= 0) {
                throw invalid(file, charset, offset + bad);
            }
        }
        return name + "|" + offset + "|" + Long.toHexString(crc.getValue());
    }

    private static UnreadableInputException invalid(Path file, Charset charset, long byteOffset) throws IOException {
        long line = 1;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[BUFFER];
            long seen = 0;
            int n;
            while (seen < byteOffset && (n = in.read(buf)) >= 0) {
                for (int i = 0; i < n && seen < byteOffset; i++, seen++) {
                    if (buf[i] == '\n') {
                        line++;
                    }
                }
            }
        }
        return new UnreadableInputException("not valid " + charset.name() + " text at byte " + byteOffset + " (line " + line
                + "); check the source's charset setting");
    }

    /** Checks a chunk of bytes; returns the offset (within all chunks so far) of the first invalid byte, or -1. */
    @FunctionalInterface
    private interface Checker {
        /**
         * @param bytes the next chunk; {@code n} bytes of it are valid input
         * @param eof no more chunks follow
         * @return offset of the first invalid byte, relative to this chunk's start, or -1
         */
        int check(byte[] bytes, int n, boolean eof);
    }

    private static final class AsciiChecker implements Checker {
        @Override
        public int check(byte[] bytes, int n, boolean eof) {
            for (int i = 0; i < n; i++) {
                if (bytes[i] < 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF), across chunk borders. */
    private static final class Utf8Checker implements Checker {
        private int pending;
        private int pendingStart;
        private int codePoint;
        private int min;

        @Override
        public int check(byte[] bytes, int n, boolean eof) {
            int i = 0;
            while (i < n) {
                int b = bytes[i];
                if (pending == 0) {
                    if (b >= 0) {
                        i++;
                        continue;
                    }
                    b &= 0xFF;
                    pendingStart = i;
                    if (b >= 0xC2 && b <= 0xDF) {
                        pending = 1;
                        codePoint = b & 0x1F;
                        min = 0x80;
                    } else if (b >= 0xE0 && b <= 0xEF) {
                        pending = 2;
                        codePoint = b & 0x0F;
                        min = 0x800;
                    } else if (b >= 0xF0 && b <= 0xF4) {
                        pending = 3;
                        codePoint = b & 0x07;
                        min = 0x10000;
                    } else {
                        return i;
                    }
                } else {
                    if ((b & 0xC0) != 0x80) {
                        return Math.max(0, pendingStart);
                    }
                    codePoint = (codePoint << 6) | (b & 0x3F);
                    if (--pending == 0 && (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))) {
                        return Math.max(0, pendingStart);
                    }
                }
                i++;
            }
            if (pending > 0) {
                if (eof) {
                    return 0;
                }
                pendingStart -= n;
            }
            return -1;
        }
    }

    private static final class DecoderChecker implements Checker {
        private final CharsetDecoder decoder;
        private final ByteBuffer in = ByteBuffer.allocate(BUFFER * 2);
        private final CharBuffer out = CharBuffer.allocate(BUFFER);

        DecoderChecker(Charset charset) {
            this.decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }

        @Override
        public int check(byte[] bytes, int n, boolean eof) {
            int carried = in.position();
            in.put(bytes, 0, n);
            in.flip();
            while (true) {
                CoderResult result = decoder.decode(in, out, eof);
                out.clear();
                if (result.isError()) {
                    return Math.max(0, in.position() - carried);
                }
                if (!result.isOverflow()) {
                    break;
                }
            }
            in.compact();
            return -1;
        }
    }
}
