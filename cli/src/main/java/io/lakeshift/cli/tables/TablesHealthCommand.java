package io.lakeshift.cli.tables;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.cli.TextTable;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.time.Durations;
import io.lakeshift.lakehouse.CatalogRuntime;
import io.lakeshift.lakehouse.HealthThresholds;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.TableHealth;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeshift tables health [table]}: files, deletes, snapshots and last commit per table, with warnings. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Per table: data files, average file size, small files, delete files,",
            "snapshots, last commit time and age, rows; then a warning for each threshold",
            "crossed. Reads table metadata only (no Spark, no data file). Exit code 0, or",
            "3 with --check when a table has a warning."})
public final class TablesHealthCommand implements Callable<Integer> {

    static final int WARNINGS_EXIT_CODE = 3;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TABLE", description = "namespace.table; every table when omitted.")
    String table;

    @Option(names = "--small-file-mb", paramLabel = "MB", defaultValue = "32",
            description = "A data file under this size is small. Default: ${DEFAULT-VALUE}.")
    long smallFileMb;

    @Option(names = "--max-small-files", paramLabel = "N", defaultValue = "100",
            description = "Warn above this many small data files. Default: ${DEFAULT-VALUE}.")
    int maxSmallFiles;

    @Option(names = "--max-snapshots", paramLabel = "N", defaultValue = "500",
            description = "Warn above this many snapshots. Default: ${DEFAULT-VALUE}.")
    int maxSnapshots;

    @Option(names = "--max-delete-files", paramLabel = "N", defaultValue = "100",
            description = "Warn above this many delete files. Default: ${DEFAULT-VALUE}.")
    int maxDeleteFiles;

    @Option(names = "--max-commit-age", paramLabel = "DURATION",
            description = "Warn when the last commit is older, e.g. 30m, 2h, 1d. Default: no warning.")
    String maxCommitAge;

    @Option(names = "--check", description = "Exit with code 3 when any table has a warning (for monitoring).")
    boolean check;

    @Override
    public Integer call() {
        LakeshiftConfig config = common.load();
        HealthThresholds thresholds = new HealthThresholds(smallFileMb * 1024 * 1024, maxSmallFiles, maxSnapshots,
                maxDeleteFiles, maxCommitAge == null ? null : parseDuration(maxCommitAge));
        List<TableHealth> report = new ArrayList<>();
        try (CatalogRuntime runtime = CatalogRuntime.start(config)) {
            Catalog catalog = runtime.open();
            try {
                List<TableIdentifier> ids = table == null ? IcebergCatalogs.allTables(catalog) : List.of(TableIdentifier.parse(table));
                for (TableIdentifier id : ids) {
                    report.add(TableHealth.of(id.toString(), catalog.loadTable(id), thresholds, Clock.systemUTC()));
                }
            } finally {
                IcebergCatalogs.close(catalog);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(report));
        out.flush();
        boolean warned = report.stream().anyMatch(h -> !h.healthy());
        return check && warned ? WARNINGS_EXIT_CODE : 0;
    }

    static String render(List<TableHealth> report) {
        if (report.isEmpty()) {
            return "no tables\n";
        }
        TextTable table = new TextTable("table", "data files", "avg size", "small", "delete files", "snapshots",
                "last commit", "age", "rows");
        for (TableHealth h : report) {
            table.row(h.table(), String.format("%,d", h.dataFiles()), TableHealth.bytes(h.averageFileBytes()),
                    String.format("%,d", h.smallDataFiles()), String.format("%,d", h.deleteFiles()),
                    String.format("%,d", h.snapshots()), h.lastCommit() == null ? null : TIME.format(h.lastCommit()),
                    h.lastCommitAge() == null ? null : TableHealth.duration(h.lastCommitAge()),
                    (h.rowsExact() ? "" : "~") + String.format("%,d", h.rows()));
        }
        StringBuilder sb = new StringBuilder(table.render());
        long warnings = 0;
        for (TableHealth h : report) {
            for (String w : h.warnings()) {
                sb.append("WARNING ").append(h.table()).append(": ").append(w).append('\n');
                warnings++;
            }
        }
        if (report.stream().anyMatch(h -> !h.rowsExact())) {
            sb.append("~ rows estimated from metadata: records less position deletes\n");
        }
        sb.append(String.format("%d table(s), %d warning(s)%n", report.size(), warnings));
        return sb.toString();
    }

    static Duration parseDuration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(new TablesHealthCommand()), e.getMessage());
        }
    }
}
