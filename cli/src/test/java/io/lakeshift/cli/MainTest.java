package io.lakeshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void invalidConfigIsRejectedBeforeAnythingStartsNamingTheKey() {
        Run run = run("sql", "--data-dir", dir.toString(), "--set", "spark.shufflePartitions=0",
                "--set", "sources[0].password=do-not-print-me", "SELECT 1");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("spark.shufflePartitions: must be positive").doesNotContain("do-not-print-me");
    }

    @Test
    void everyCommandHasHelpWithConfigAndDataDir() {
        for (String command : new String[] {"demo", "sql"}) {
            Run run = run(command, "--help");
            assertThat(run.code).isZero();
            assertThat(run.out).contains("--config=FILE", "--data-dir=DIR", "--set=KEY=VALUE");
        }
    }

    @Test
    void unknownFormatIsAnError() {
        Run run = run("sql", "--data-dir", dir.toString(), "--format", "xml", "SELECT 1");
        assertThat(run.code).isNotZero();
        assertThat(run.err).contains("--format must be table, csv or json");
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private record Run(int code, String out, String err) {
    }
}
