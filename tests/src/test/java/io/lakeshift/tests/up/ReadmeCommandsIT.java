package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.cli.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code ./lakeshift} command the README documents: each one parses as the real command line
 * parses it, and the commands that need no source or running stack run through the real
 * {@code lakeshift} entry point on an empty data folder. ({@code up} and {@code demo} themselves run in
 * the other tests of this package and in the distribution's test.)
 */
class ReadmeCommandsIT {

    private static final Pattern COMMAND = Pattern.compile("^\\./lakeshift (.+?)(\\s+#.*)?$", Pattern.MULTILINE);

    @TempDir
    static Path work;

    static List<List<String>> readmeCommands() throws Exception {
        String readme = Files.readString(LakeshiftCommand.home().resolve("README.md"), StandardCharsets.UTF_8);
        List<List<String>> commands = new ArrayList<>();
        Matcher m = COMMAND.matcher(readme);
        while (m.find()) {
            String line = m.group(1).replaceAll("\\s*>.*$", "").trim();
            commands.add(split(line));
        }
        return commands;
    }

    @Test
    void everyDocumentedCommandParses() throws Exception {
        List<List<String>> commands = readmeCommands();
        assertThat(commands).as("commands found in README.md").hasSizeGreaterThan(6);
        for (List<String> args : commands) {
            CommandLine cli = new CommandLine(new Main());
            assertThat(cli.parseArgs(args.toArray(String[]::new)).hasSubcommand())
                    .as("'lakeshift %s' names a command", String.join(" ", args)).isTrue();
        }
    }

    @Test
    void statusAndSqlCommandsRunOnAnEmptyDataFolder() throws Exception {
        Path data = work.resolve("data");
        for (List<String> args : readmeCommands()) {
            String first = args.get(0);
            boolean standalone = List.of("sources", "pipelines", "tables", "sql", "catalog").contains(first)
                    && !args.contains("run");
            if (!standalone || args.stream().anyMatch(a -> a.contains("lakeshift.erp") || a.contains("lakeshift.retail"))) {
                continue; // needs a table a running up creates: covered by UpPostgresIT and the demo
            }
            List<String> withData = new ArrayList<>(args);
            withData.add("--data-dir");
            withData.add(data.toString());
            LakeshiftCommand.Result r = LakeshiftCommand.run(work.resolve("cmd.out"), Map.of(), Duration.ofMinutes(4),
                    withData.toArray(String[]::new));
            assertThat(r.exitCode()).as("lakeshift %s%n%s", String.join(" ", withData), r.output()).isZero();
        }
        LakeshiftCommand.Result sql = LakeshiftCommand.run(work.resolve("sql.out"), Map.of(), Duration.ofMinutes(4),
                "sql", "--format", "json", "SELECT 1 AS one, true AS yes", "--data-dir", data.toString());
        assertThat(sql.exitCode()).as(sql.output()).isZero();
        assertThat(sql.output()).contains("\"one\" : 1", "\"yes\" : true");
    }

    /** Splits a shell command line on spaces, keeping double-quoted words whole. */
    private static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }
}
