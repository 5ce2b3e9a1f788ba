package io.lakeshift.benchmarks;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.core.config.LakeshiftConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lakeshift bench incremental}: the legacy full reload against the incremental path, in one run. */
@Command(name = "incremental", mixinStandardHelpOptions = true,
        description = {"Times, in one run, on --orders rows (1,000,000) with --change-percent (1%)",
            "of them changed:",
            "  (a) the legacy path: full reload of every table, daily revenue mart in full",
            "  (b) the incremental path: CDC catches up, the streaming job applies the",
            "      changes available-now, the mart follows incrementally",
            "checks the lake against the source, then times one maintenance pass after",
            "--small-commits (1,000) small streaming commits. Runs on its own embedded",
            "stack under <data-dir>/bench/incremental-work; figures go to",
            "<data-dir>/bench/incremental-<time>.txt. The last line is:",
            "  bench incremental: full_s=<n> incremental_s=<n> ratio=<n>",
            "  files_before=<n> files_after=<n>"})
public final class IncrementalBenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--orders", paramLabel = "N", defaultValue = "1000000", description = "Rows in the orders table. Default: ${DEFAULT-VALUE}.")
    long orders;

    @Option(names = "--change-percent", paramLabel = "P", defaultValue = "1", description = "Percent of orders changed. Default: ${DEFAULT-VALUE}.")
    double changePercent;

    @Option(names = "--changes", paramLabel = "SPREAD", defaultValue = "uniform",
            description = "uniform (updates and deletes spread over the whole table) or recent (among the newest orders)."
                    + " Default: ${DEFAULT-VALUE}.")
    String changes;

    @Option(names = "--cluster-rows", paramLabel = "N", defaultValue = "0",
            description = "Partition orders and order lines by truncate(N, order_id); 0 for unpartitioned. Default: ${DEFAULT-VALUE}.")
    long clusterRows;

    @Option(names = "--small-commits", paramLabel = "N", defaultValue = "1000",
            description = "Small streaming commits before the maintenance pass. Default: ${DEFAULT-VALUE}.")
    int smallCommits;

    @Override
    public Integer call() throws Exception {
        if (orders < 1000 || changePercent <= 0 || changePercent > 50 || smallCommits < 1 || clusterRows < 0
                || !List.of("uniform", "recent").contains(changes)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--orders must be at least 1000, --change-percent in"
                    + " (0, 50], --changes uniform or recent, --cluster-rows 0 or more, --small-commits at least 1");
        }
        LakeshiftConfig config = common.load();
        Path benchDir = config.dataDir().resolve("bench");
        Path work = benchDir.resolve("incremental-work");
        deleteRecursively(work);
        Files.createDirectories(work);
        PrintStream out = System.out;
        IncrementalBenchResult result;
        try (IncrementalBenchRun run = new IncrementalBenchRun(config, work, out, orders, changePercent,
                "recent".equals(changes), clusterRows, smallCommits)) {
            result = run.run();
        }
        String command = String.format(java.util.Locale.ROOT, "./lakeshift bench incremental --orders %d --change-percent %s"
                + " --changes %s --cluster-rows %d --small-commits %d --data-dir %s", orders, changePercent, changes, clusterRows,
                smallCommits, config.dataDir());
        String machine = Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, Java " + System.getProperty("java.version")
                + ", Spark master " + config.spark().master();
        List<String> report = result.report(command, machine);
        Path file = benchDir.resolve("incremental-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".txt");
        Files.write(file, report, StandardCharsets.UTF_8);
        deleteRecursively(work);
        for (String line : report.subList(0, report.size() - 1)) {
            out.println(line);
        }
        out.println("figures written to " + file);
        out.println(result.lastLine());
        out.flush();
        return 0;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
