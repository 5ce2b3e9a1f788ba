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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lakeshift bench incremental}: the legacy full reload against the incremental path, at two
 * table sizes with the same changes, in one run.
 */
@Command(name = "incremental", mixinStandardHelpOptions = true,
        description = {"Times, in one run, at two table sizes (--sizes, 1,000,000 and 10,000,000",
            "orders, with proportional order lines), with the same --changed-orders (10,000)",
            "changed at both:",
            "  (a) the legacy path: full reload of every table, daily revenue mart in full",
            "  (b) the incremental path: CDC catches up, the streaming job applies the",
            "      changes available-now, the mart follows incrementally",
            "checks the lake against the source at each size, then times one maintenance",
            "pass after --small-commits (1,000) small streaming commits. Each size runs on",
            "its own embedded stack under <data-dir>/bench/incremental-work; figures go to",
            "<data-dir>/bench/incremental-<time>.txt. The last line is:",
            "  bench incremental: full_s_1m=<n> incremental_s_1m=<n> full_s_10m=<n>",
            "  incremental_s_10m=<n> ratio_10m=<n> growth=<n> files_before=<n>",
            "  files_after=<n>",
            "where ratio_10m = incremental_s_10m / full_s_10m and growth =",
            "incremental_s_10m / incremental_s_1m (_1m and _10m name the smaller and the",
            "larger size, whatever --sizes says)."})
public final class IncrementalBenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--sizes", "--orders"}, paramLabel = "N,N", split = ",", defaultValue = "1000000,10000000",
            description = "The two sizes of the orders table, smaller first. Default: ${DEFAULT-VALUE}.")
    List<Long> sizes;

    @Option(names = "--changed-orders", paramLabel = "N", defaultValue = "10000",
            description = "Orders changed at each size (half updated, three tenths inserted, two tenths deleted)."
                    + " Default: ${DEFAULT-VALUE}.")
    long changedOrders;

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
        if (sizes.size() != 2 || sizes.get(0) < 1000 || sizes.get(1) <= sizes.get(0) || changedOrders < 10
                || 2 * changedOrders > sizes.get(0) || smallCommits < 1 || clusterRows < 0
                || !List.of("uniform", "recent").contains(changes)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sizes must be two sizes of at least 1000, smaller"
                    + " first; --changed-orders at least 10 and at most half the smaller size; --changes uniform or recent;"
                    + " --cluster-rows 0 or more; --small-commits at least 1");
        }
        LakeshiftConfig config = common.load();
        Path benchDir = config.dataDir().resolve("bench");
        Path work = benchDir.resolve("incremental-work");
        deleteRecursively(work);
        Files.createDirectories(work);
        PrintStream out = System.out;
        List<IncrementalBenchResult.Size> results = new ArrayList<>();
        IncrementalBenchResult.Maintenance maintenance = null;
        for (long orders : sizes) {
            Path sizeWork = work.resolve("orders-" + orders);
            out.printf(java.util.Locale.ROOT, "--- %,d orders, %,d changed%n", orders, changedOrders);
            try (IncrementalBenchRun run = new IncrementalBenchRun(config, sizeWork, out, orders, changedOrders,
                    "recent".equals(changes), clusterRows, smallCommits)) {
                results.add(run.run());
                if (results.size() == sizes.size()) {
                    maintenance = run.maintenance();
                }
            }
            // the next size starts from an empty folder: the larger source and lake need the disk
            deleteRecursively(sizeWork);
        }
        IncrementalBenchResult result = new IncrementalBenchResult(results.get(0), results.get(1), maintenance);
        String command = String.format(java.util.Locale.ROOT, "./lakeshift bench incremental --sizes %d,%d --changed-orders %d"
                + " --changes %s --cluster-rows %d --small-commits %d --data-dir %s", sizes.get(0), sizes.get(1), changedOrders,
                changes, clusterRows, smallCommits, config.dataDir());
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
