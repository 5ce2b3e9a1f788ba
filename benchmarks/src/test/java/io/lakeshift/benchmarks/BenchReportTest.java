package io.lakeshift.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path dataDir;

    @Test
    void appendsEveryRunToTheFiguresFileAndPrintsTheSummaryLast() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        BenchReport first = new BenchReport("up", out);
        first.line("initial load: 10 rows");
        Path file = first.finish(dataDir, "bench up: rows=10");
        new BenchReport("up", out).finish(dataDir, "bench up: rows=20");

        assertThat(file).isEqualTo(dataDir.resolve("bench/up.txt"));
        assertThat(Files.readString(file)).contains("initial load: 10 rows", "bench up: rows=10", "bench up: rows=20");
        String printed = bytes.toString(StandardCharsets.UTF_8).strip();
        assertThat(printed.substring(printed.lastIndexOf('\n') + 1)).isEqualTo("bench up: rows=20");
    }
}
