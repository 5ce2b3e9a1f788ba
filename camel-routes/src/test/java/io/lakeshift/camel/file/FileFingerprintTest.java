package io.lakeshift.camel.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.camel.record.UnreadableInputException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFingerprintTest {

    @TempDir
    Path dir;

    @Test
    void sameContentSameKeyAndMultiByteCharactersAcrossBufferBorders() throws Exception {
        StringBuilder text = new StringBuilder();
        while (text.length() < 200_000) {
            text.append("Zoë, 李, \uD83D\uDE00; ");
        }
        Path a = dir.resolve("a.csv");
        Files.writeString(a, text, StandardCharsets.UTF_8);
        String key = FileFingerprint.of(a, "a.csv", StandardCharsets.UTF_8);
        assertThat(key).startsWith("a.csv|" + Files.size(a) + "|");
        assertThat(FileFingerprint.of(a, "a.csv", StandardCharsets.UTF_8)).isEqualTo(key);
        Files.writeString(a, text + "x", StandardCharsets.UTF_8);
        assertThat(FileFingerprint.of(a, "a.csv", StandardCharsets.UTF_8)).isNotEqualTo(key);
        assertThat(FileFingerprint.of(a, "a.csv", Charset.forName("UTF-16"))).isNotNull();
    }

    @Test
    void namesTheFirstInvalidByteAndItsLine() throws Exception {
        Path f = dir.resolve("f.csv");
        Files.write(f, "ok\nstill ok\nM\u00fcnchen\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> FileFingerprint.of(f, "f.csv", StandardCharsets.UTF_8))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageStartingWith("not valid UTF-8 text at byte 13 (line 3)");
        assertThatThrownBy(() -> FileFingerprint.of(f, "f.csv", StandardCharsets.US_ASCII))
                .hasMessageStartingWith("not valid US-ASCII text at byte 13 (line 3)");
        assertThat(FileFingerprint.of(f, "f.csv", StandardCharsets.ISO_8859_1)).isNotNull();
        Files.write(f, new byte[] {'a', (byte) 0xE2, (byte) 0x82});
        assertThatThrownBy(() -> FileFingerprint.of(f, "f.csv", StandardCharsets.UTF_8)).as("cut at the end")
                .isInstanceOf(UnreadableInputException.class);
        Files.write(f, new byte[] {'a', (byte) 0xC0, (byte) 0x80});
        assertThatThrownBy(() -> FileFingerprint.of(f, "f.csv", StandardCharsets.UTF_8)).as("overlong")
                .hasMessageStartingWith("not valid UTF-8 text at byte 1");
        Files.write(f, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        assertThatThrownBy(() -> FileFingerprint.of(f, "f.csv", StandardCharsets.UTF_8)).as("surrogate")
                .isInstanceOf(UnreadableInputException.class);
        Files.write(f, new byte[] {'x', (byte) 0x81, 'y'});
        assertThatThrownBy(() -> FileFingerprint.of(f, "f.csv", Charset.forName("windows-1252"))).as("unmapped in cp1252")
                .hasMessageStartingWith("not valid windows-1252 text at byte 1");
    }
}
