package io.lakeshift.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Collects a benchmark's figures, prints them, and appends them to {@code <dataDir>/bench/<name>.txt}. */
public final class BenchReport {

    private final String name;
    private final PrintStream out;
    private final List<String> lines = new ArrayList<>();

    public BenchReport(String name, PrintStream out) {
        this.name = name;
        this.out = out;
        line("bench " + name + " at " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    }

    public void line(String text) {
        lines.add(text);
        out.println(text);
        out.flush();
    }

    /** Prints the summary line last and writes every line to the figures file. */
    public Path finish(Path dataDir, String summary) throws IOException {
        Path file = dataDir.resolve("bench").resolve(name + ".txt");
        Files.createDirectories(file.getParent());
        lines.add(summary);
        lines.add("");
        Files.write(file, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        out.println("figures appended to " + file);
        out.println(summary);
        out.flush();
        return file;
    }
}
