package io.lakeshift.cli.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the command each generated DAG would run on an Airflow worker, as the DAG file spells it,
 * against a configuration whose source database is unreachable: the command must get past argument
 * parsing and fail connecting to the source, not with an unknown job or a usage error.
 */
class GeneratedDagCommandsTest {

    private static final Pattern BASH_COMMAND = Pattern.compile("bash_command=(\"(?:[^\"\\\\]|\\\\.)*\")");
    private static final Pattern JAVA_CLASS = Pattern.compile("java_class=(\"(?:[^\"\\\\]|\\\\.)*\")");
    private static final Pattern APPLICATION_ARGS = Pattern.compile("application_args=\\[([^\\]]*)\\]");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void unreachableSource() throws Exception {
        config = Files.writeString(dir.resolve("lakeshift.yaml"), """
                dataDir: %s
                sources:
                  - name: erp
                    kind: postgres
                    host: 127.0.0.1
                    port: 1
                    database: erp
                    username: lakeshift
                    password: env:HOME
                    tables: [erp.customer]
                pipelines:
                  - {name: erp.customer, source: erp, table: erp.customer, target: erp.customer, stage: BATCH,
                     dag: legacy_customer}
                catalog:
                  type: hadoop
                  warehouse: file:%s
                """.formatted(dir.resolve("data"), dir.resolve("warehouse")));
    }

    @Test
    void theBashDagsCommandReachesTheSource() throws Exception {
        Path dag = generate("bash");

        String command = pythonString(find(BASH_COMMAND, Files.readString(dag)));
        List<String> words = List.of(command.strip().split(" +"));
        assertThat(words.get(0)).isEqualTo("lakeshift");

        Run run = run(words.subList(1, words.size()).toArray(String[]::new));

        assertThat(run.exitCode).as(run.err).isNotZero();
        assertThat(run.err).doesNotContainIgnoringCase("unknown job").doesNotContain("Usage:", "Unknown option", "Missing required");
        assertThat(run.err).containsIgnoringCase("connect").contains("127.0.0.1");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
                .as("the data folder is created owner-only").isEqualTo("rwx------");
    }

    @Test
    void theSparkSubmitDagsMainClassTakesItsArgumentsAndReachesTheSource() throws Exception {
        String python = Files.readString(generate("spark-submit"));

        String mainClass = pythonString(find(JAVA_CLASS, python));
        List<String> args = new ArrayList<>();
        Matcher strings = STRING.matcher(find(APPLICATION_ARGS, python));
        while (strings.find()) {
            args.add(pythonString("\"" + strings.group(1) + "\""));
        }
        assertThat(Class.forName(mainClass).getMethod("main", String[].class)).as("the jobs jar's main class").isNotNull();
        assertThat(mainClass).isEqualTo("io.lakeshift.batch.FullReloadJob");

        // the same job and arguments through the lakeshift entry point, which runs the same job class
        List<String> command = new ArrayList<>(List.of("batch", "run", "full-reload"));
        command.addAll(args);
        Run run = run(command.toArray(String[]::new));

        assertThat(run.exitCode).as(run.err).isNotZero();
        assertThat(run.err).doesNotContainIgnoringCase("unknown job").doesNotContain("Usage:", "Unknown option", "unknown option");
        assertThat(run.err).containsIgnoringCase("connect").contains("127.0.0.1");
    }

    @Test
    void theJobsArgumentsParseUnderTheJobsOwnMain() throws Exception {
        String python = Files.readString(generate("spark-submit"));
        List<String> args = new ArrayList<>();
        Matcher strings = STRING.matcher(find(APPLICATION_ARGS, python));
        while (strings.find()) {
            args.add(pythonString("\"" + strings.group(1) + "\""));
        }

        assertThat(io.lakeshift.core.config.JobArguments.parse(args.toArray(String[]::new),
                java.util.Set.of("pipeline", "partitions", "partition-column", "snapshot", "branch")).option("pipeline", null))
                .isEqualTo("erp.customer");
        assertThatThrownBy(() -> io.lakeshift.core.config.JobArguments.parse(new String[] {"batch", "run", "erp.customer"},
                java.util.Set.of("pipeline"))).as("the arguments DAGs used to pass").hasMessageContaining("unexpected argument");
    }

    private Path generate(String operator) {
        Path out = dir.resolve("dags-" + operator);
        Run run = run("airflow", "generate", "--config", config.toString(), "--data-dir", dir.resolve("data").toString(),
                "--out", out.toString(), "--operator", operator, "--worker-config", config.toString());
        assertThat(run.exitCode).as(run.err).isZero();
        return out.resolve("legacy_customer.py");
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }

    /** A Python string literal as dags/Python writes it: double quotes, backslash escapes. */
    private static String pythonString(String literal) {
        String body = literal.substring(1, literal.length() - 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char next = body.charAt(++i);
            switch (next) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(next);
            }
        }
        return sb.toString();
    }

    private record Run(int exitCode, String err) {
    }

    /** Main.run prints its errors to the standard error stream, which the test reads. */
    private static synchronized Run run(String... args) {
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
    }
}
