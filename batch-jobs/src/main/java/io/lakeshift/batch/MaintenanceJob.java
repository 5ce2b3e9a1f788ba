package io.lakeshift.batch;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.MaintenanceSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * Table maintenance as a scheduled batch job ({@link TableMaintenance} does the work):
 *
 * <pre>
 * spark-submit --class io.lakeshift.batch.MaintenanceJob lakeshift-jobs.jar --config lakeshift.yaml --table all
 * lakeshift batch run maintenance --table retail.orders --retention-hours 48
 * </pre>
 *
 * Options: {@code --table namespace.table|all} (default all), {@code --target-file-size-mb},
 * {@code --retention-hours}, {@code --min-snapshots}, {@code --orphan-age-hours}; each falls back
 * to the table's properties, then to Lakeshift's defaults ({@link MaintenanceSettings}).
 */
public final class MaintenanceJob implements BatchJob {

    static final Set<String> OPTIONS = Set.of("table", "target-file-size-mb", "retention-hours", "min-snapshots",
            "orphan-age-hours");

    public static void main(String[] args) throws Exception {
        BatchJobs.runMain(new MaintenanceJob(), args);
    }

    @Override
    public String name() {
        return "maintenance";
    }

    @Override
    public String description() {
        return "compact small files, rewrite deletes, expire snapshots, remove orphans, merge manifests (--table ns.t|all)";
    }

    @Override
    public Set<String> options() {
        return OPTIONS;
    }

    @Override
    public String run(SparkSession spark, LakeshiftConfig config, JobArguments arguments) {
        UnaryOperator<MaintenanceSettings> overrides = overrides(arguments);
        TableMaintenance maintenance = new TableMaintenance(spark, config.catalog().name());
        String table = arguments.option("table", "all");
        List<MaintenanceReport> reports = "all".equals(table) ? maintenance.runAll(overrides)
                : List.of(maintenance.run(table, overrides));
        long before = reports.stream().mapToLong(MaintenanceReport::dataFilesBefore).sum();
        long after = reports.stream().mapToLong(MaintenanceReport::dataFilesAfter).sum();
        long failed = reports.stream().filter(r -> r.notes().stream().anyMatch(n -> n.startsWith("failed:"))).count();
        return String.format("maintained %d table(s): data files %,d -> %,d%s", reports.size(), before, after,
                failed == 0 ? "" : ", " + failed + " failed");
    }

    /** Options given on the command line, applied over each table's own settings. */
    static UnaryOperator<MaintenanceSettings> overrides(JobArguments arguments) {
        Long targetMb = longOption(arguments, "target-file-size-mb");
        Long retentionHours = longOption(arguments, "retention-hours");
        Long minSnapshots = longOption(arguments, "min-snapshots");
        Long orphanHours = longOption(arguments, "orphan-age-hours");
        return s -> {
            MaintenanceSettings r = s;
            if (targetMb != null) {
                r = r.withTargetFileSizeBytes(targetMb * 1024 * 1024);
            }
            if (retentionHours != null || minSnapshots != null) {
                r = r.withSnapshotRetention(retentionHours == null ? r.snapshotRetention() : Duration.ofHours(retentionHours),
                        minSnapshots == null ? r.minSnapshotsToKeep() : minSnapshots.intValue());
            }
            if (orphanHours != null) {
                r = r.withOrphanFileAge(Duration.ofHours(orphanHours));
            }
            return r;
        };
    }

    private static Long longOption(JobArguments arguments, String name) {
        String value = arguments.option(name, null);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + name, "must be a whole number, got '" + value + "'");
        }
    }
}
