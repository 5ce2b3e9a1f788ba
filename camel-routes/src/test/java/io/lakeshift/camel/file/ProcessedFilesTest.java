package io.lakeshift.camel.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessedFilesTest {

    @TempDir
    Path dir;

    private ProcessedFiles started() throws Exception {
        ProcessedFiles files = new ProcessedFiles(dir);
        files.start();
        return files;
    }

    @Test
    void keysOfAnyFileNameSurviveARestart() throws Exception {
        String tab = "a\tb.csv|10|abc";
        String newline = "line\nbreak\r.csv|20|def";
        String unicode = "Zoë \u2028 \uD83D\uDE00 \"q\" \\.csv|30|0";
        ProcessedFiles first = started();
        assertThat(first.sequenceOf(tab)).isEqualTo(1);
        assertThat(first.sequenceOf(newline)).isEqualTo(2);
        assertThat(first.sequenceOf(unicode)).isEqualTo(3);
        first.add(tab);
        first.confirm(tab);
        first.add(newline);
        first.confirm(newline);
        first.stop();

        assertThat(Files.readAllLines(dir.resolve(ProcessedFiles.LOG_FILE))).as("one entry per line").hasSize(5);
        ProcessedFiles second = started();
        assertThat(second.contains(tab)).isTrue();
        assertThat(second.contains(newline)).isTrue();
        assertThat(second.contains(unicode)).as("sequenced but never confirmed").isFalse();
        assertThat(second.sequenceOf(unicode)).isEqualTo(3);
        assertThat(second.sequenceOf("next.csv|1|1")).isEqualTo(4);
        second.stop();
    }

    @Test
    void readsTheTabSeparatedLogWrittenBeforeAndAppendsJsonLines() throws Exception {
        Files.writeString(dir.resolve(ProcessedFiles.LOG_FILE), "S\t1\told.csv|5|aa\nD\told.csv|5|aa\nS\t2\tpending.csv|6|bb\nS\t3",
                StandardCharsets.UTF_8);
        ProcessedFiles files = started();
        assertThat(files.contains("old.csv|5|aa")).isTrue();
        assertThat(files.sequenceOf("pending.csv|6|bb")).isEqualTo(2);
        assertThat(files.sequenceOf("new.csv|7|cc")).as("after the highest sequence, torn lines aside").isEqualTo(3);
        files.stop();
        assertThat(Files.readString(dir.resolve(ProcessedFiles.LOG_FILE))).endsWith("\nS\t3\n{\"seq\":3,\"key\":\"new.csv|7|cc\"}\n");
    }

    @Test
    void aLineTornByACrashIsIgnored() throws Exception {
        Files.writeString(dir.resolve(ProcessedFiles.LOG_FILE), "{\"seq\":1,\"key\":\"a.csv|1|1\"}\n{\"done\":\"a.csv|1|1\"}\n{\"seq\":2,\"ke",
                StandardCharsets.UTF_8);
        ProcessedFiles files = started();
        assertThat(files.contains("a.csv|1|1")).isTrue();
        assertThat(files.sequenceOf("b.csv|1|1")).isEqualTo(2);
        files.stop();
        ProcessedFiles again = started();
        assertThat(again.sequenceOf("b.csv|1|1")).as("the entry after the torn line was read back").isEqualTo(2);
        again.stop();
    }
}
