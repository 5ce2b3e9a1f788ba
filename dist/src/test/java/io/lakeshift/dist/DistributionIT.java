package io.lakeshift.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a team installs it: the archive unpacked in an empty folder, run with only a JDK
 * (no Maven, no local repository, no source tree), its size within bounds.
 */
class DistributionIT {

    @TempDir
    static Path install;

    static Path lakeshift;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("lakeshift.dist"));
        assertThat(archive).exists();
        assertThat(Files.size(archive)).as("the distribution archive's size").isLessThan(400L * 1024 * 1024);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", install.toString()).inheritIO().start();
        assertThat(tar.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(tar.exitValue()).isZero();
        try (var dirs = Files.list(install)) {
            lakeshift = dirs.filter(d -> d.getFileName().toString().startsWith("lakeshift-")).findFirst().orElseThrow()
                    .resolve("bin/lakeshift");
        }
        assertThat(Files.isExecutable(lakeshift)).as("bin/lakeshift is executable").isTrue();
    }

    @Test
    void printsItsVersion() throws Exception {
        Result r = run(List.of("--version"), 2);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("lakeshift ");
    }

    @Test
    void runsTheDemo() throws Exception {
        Result r = run(List.of("demo", "--duration", "5", "--data-dir", install.resolve("data").toString()), 15);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("demo: OK");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> args, int minutes) throws IOException, InterruptedException {
        Path out = install.resolve("out-" + System.nanoTime() + ".txt");
        List<String> command = new java.util.ArrayList<>(List.of(lakeshift.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(install.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().remove("LAKESHIFT_CLASSPATH");
        builder.environment().put("LAKESHIFT_JAVA_OPTS", "-Xmx1g");
        Process p = builder.start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("lakeshift " + args + " did not end within " + minutes + " minutes:\n"
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
