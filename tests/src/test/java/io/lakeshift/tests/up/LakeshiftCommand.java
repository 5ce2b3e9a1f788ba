package io.lakeshift.tests.up;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code lakeshift} entry point (the launcher script at the repository's root) run as a child
 * process, as a user runs it: its output goes to a file the test reads.
 */
final class LakeshiftCommand implements AutoCloseable {

    private final Process process;
    private final Path output;

    private LakeshiftCommand(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** The repository's root, where the {@code lakeshift} script is. */
    static Path home() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("lakeshift"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no lakeshift script above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Starts {@code lakeshift <args>}, its output in {@code output}. */
    static LakeshiftCommand start(Path output, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("lakeshift").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(output.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        builder.environment().put("LAKESHIFT_JAVA_OPTS", "-Xmx512m");
        return new LakeshiftCommand(builder.start(), output);
    }

    /** Runs {@code lakeshift <args>} to its end; returns its exit code and output. */
    static Result run(Path output, Map<String, String> env, Duration timeout, String... args) throws Exception {
        try (LakeshiftCommand command = start(output, env, args)) {
            if (!command.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("lakeshift " + String.join(" ", args) + " did not end within " + timeout
                        + "; output:\n" + command.output());
            }
            return new Result(command.process.exitValue(), command.output());
        }
    }

    record Result(int exitCode, String output) {
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Waits until the output holds {@code text}; fails early if the process ends first. */
    void awaitOutput(String text, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            String out = output();
            if (out.contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError("lakeshift ended (exit " + process.exitValue() + ") before printing '" + text
                        + "':\n" + out);
            }
            return false;
        });
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, as an operator's Ctrl-C or a supervisor would; returns the exit code. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("lakeshift did not stop within " + timeout + " after SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
