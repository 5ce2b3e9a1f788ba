package io.lakeshift.cli.tables;

import io.lakeshift.batch.BatchJobs;
import io.lakeshift.batch.MaintenanceReport;
import io.lakeshift.batch.TableMaintenance;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.lakehouse.CatalogRuntime;
import io.lakeshift.lakehouse.MaintenanceSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeshift maintain <table>|--all}: one maintenance pass, safe while streaming jobs commit. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = {"One maintenance pass over a table, or every table with --all:",
            "  compact small data files into files of the target size, applying deletes",
            "  (in a delete-marker table, first dropping markers a newer one or row supersedes);",
            "  rewrite position delete files; expire snapshots older than the retention,",
            "  keeping branches, tags and the snapshots streaming jobs need to stay",
            "  effectively-once; remove orphan files older than the safety window;",
            "  merge small manifests. Safe while streaming jobs commit.",
            "Settings: these options, else the table's properties, else the defaults.",
            "  lakeshift maintain retail.orders",
            "  lakeshift maintain --all --retention-hours 48 --skip orphans"})
public final class MaintainCommand implements Callable<Integer> {

    private static final Set<String> STEPS = Set.of("compact", "rewrite-deletes", "expire", "orphans", "manifests");

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(index = "0", paramLabel = "TABLE", description = "namespace.table")
        String table;

        @Option(names = "--all", description = "Every table of the catalog.")
        boolean all;
    }

    @Option(names = "--target-file-size-mb", paramLabel = "MB", description = "Target size of compacted files (default 128).")
    Long targetFileSizeMb;

    @Option(names = "--retention-hours", paramLabel = "H", description = "Expire snapshots older than this (default 24, at least 10 minutes).")
    Double retentionHours;

    @Option(names = "--min-snapshots", paramLabel = "N", description = "Keep at least N snapshots per branch (default 5).")
    Integer minSnapshots;

    @Option(names = "--orphan-age-hours", paramLabel = "H", description = "Remove unreferenced files older than this (default 72, at least 1).")
    Double orphanAgeHours;

    @Option(names = "--skip", paramLabel = "STEP", split = ",",
            description = "Steps to skip: compact, rewrite-deletes, expire, orphans, manifests.")
    List<String> skip = List.of();

    @Override
    public Integer call() {
        for (String s : skip) {
            if (!STEPS.contains(s)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--skip: unknown step '" + s + "'; steps are " + STEPS);
            }
        }
        UnaryOperator<MaintenanceSettings> overrides = this::apply;
        overrides.apply(MaintenanceSettings.defaults()); // validates the options before Spark starts
        LakeshiftConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        List<MaintenanceReport> reports;
        try (CatalogRuntime runtime = CatalogRuntime.start(config)) {
            SparkSession spark = BatchJobs.session(runtime.config(), "lakeshift-maintain");
            try {
                TableMaintenance maintenance = new TableMaintenance(spark, runtime.catalog().name());
                reports = target.all ? maintenance.runAll(overrides) : List.of(maintenance.run(target.table, overrides));
            } finally {
                spark.stop();
            }
        }
        // the console and its metrics show each table's last pass
        StatusFiles status = new StatusFiles(config.dataDir(), MaintenanceReport.STATUS_GROUP);
        long pid = ProcessHandle.current().pid();
        reports.forEach(r -> status.write(r.toStatus(pid, System.currentTimeMillis())));
        int failed = 0;
        for (MaintenanceReport r : reports) {
            out.println(r.summaryLine());
            for (String note : r.notes()) {
                out.println("  " + note);
                if (note.startsWith("failed:")) {
                    failed++;
                }
            }
        }
        out.printf("maintained %d table(s)%s%n", reports.size(), failed == 0 ? "" : ", " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private MaintenanceSettings apply(MaintenanceSettings s) {
        MaintenanceSettings r = s.withSteps(s.compact() && !skip.contains("compact"),
                s.rewriteDeletes() && !skip.contains("rewrite-deletes"), s.expireSnapshots() && !skip.contains("expire"),
                s.removeOrphans() && !skip.contains("orphans"), s.rewriteManifests() && !skip.contains("manifests"));
        if (targetFileSizeMb != null) {
            r = r.withTargetFileSizeBytes(targetFileSizeMb * 1024 * 1024);
        }
        if (retentionHours != null || minSnapshots != null) {
            r = r.withSnapshotRetention(retentionHours == null ? r.snapshotRetention() : hours(retentionHours),
                    minSnapshots == null ? r.minSnapshotsToKeep() : minSnapshots);
        }
        if (orphanAgeHours != null) {
            r = r.withOrphanFileAge(hours(orphanAgeHours));
        }
        return r;
    }

    private static Duration hours(double h) {
        return Duration.ofSeconds(Math.round(h * 3600));
    }
}
