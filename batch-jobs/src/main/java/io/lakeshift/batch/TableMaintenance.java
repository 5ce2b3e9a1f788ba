package io.lakeshift.batch;

import io.lakeshift.core.retry.Backoff;
import io.lakeshift.lakehouse.CommitConflicts;
import io.lakeshift.lakehouse.HealthThresholds;
import io.lakeshift.lakehouse.MaintenanceSettings;
import io.lakeshift.lakehouse.SnapshotExpiry;
import io.lakeshift.lakehouse.TableHealth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.RewriteManifests;
import org.apache.iceberg.actions.RewritePositionDeleteFiles;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One maintenance pass over Lakeshift tables, the library call behind {@code lakeshift maintain}
 * and {@link MaintenanceJob}: compact small data files (applying deletes; in a delete-marker table,
 * first dropping the markers that no longer protect anything, see {@link DeleteMarkerPruning}),
 * rewrite position delete files, expire old snapshots (keeping branches, tags and what Lakeshift
 * jobs need), remove orphan files older than a safety window, and merge small manifests, in that
 * order.
 *
 * <p>It runs while streaming jobs commit to the same tables. Every step commits through Iceberg's
 * optimistic concurrency: compaction validates that no concurrent commit added deletes to the files
 * it replaces (its file groups commit separately, partial progress), and a step that lost a race is
 * planned and run again against the new table state ({@link CommitConflicts}); nothing is retried
 * after an unknown commit outcome. A writer whose MERGE lost the race to compaction gets Iceberg's
 * {@code ValidationException} and must run its MERGE again (which {@link CommitConflicts#retry} does).
 */
public final class TableMaintenance {

    /** Snapshot summary key marking maintenance commits with the step that made them. */
    public static final String MAINTENANCE = "lakeshift.maintenance";

    private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(500);
    private static final Backoff COMPACTION_BACKOFF = new Backoff(RETRY_BACKOFF, Duration.ofSeconds(16));

    private final SparkSession spark;
    private final String catalog;
    private final Clock clock;

    /**
     * @param catalog the Spark catalog name of the lakehouse ({@code catalog.name})
     */
    public TableMaintenance(SparkSession spark, String catalog) {
        this(spark, catalog, Clock.systemUTC());
    }

    public TableMaintenance(SparkSession spark, String catalog, Clock clock) {
        this.spark = spark;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Every table of the catalog, {@code namespace.table}. */
    public List<String> tables() {
        SparkCatalog sparkCatalog = (SparkCatalog) spark.sessionState().catalogManager().catalog(catalog);
        List<String> tables = new ArrayList<>();
        try {
            collect(sparkCatalog, sparkCatalog.listNamespaces(), tables);
        } catch (NoSuchNamespaceException e) {
            throw new IllegalStateException("a namespace of catalog " + catalog + " disappeared while listing it", e);
        }
        tables.sort(String::compareTo);
        return tables;
    }

    private static void collect(SparkCatalog catalog, String[][] namespaces, List<String> out) throws NoSuchNamespaceException {
        for (String[] ns : namespaces) {
            for (Identifier id : catalog.listTables(ns)) {
                out.add(String.join(".", id.namespace()) + "." + id.name());
            }
            collect(catalog, catalog.listNamespaces(ns), out);
        }
    }

    /** Maintains every table of the catalog with each table's own settings; one table's failure does not stop the others. */
    public List<MaintenanceReport> runAll(UnaryOperator<MaintenanceSettings> overrides) {
        List<MaintenanceReport> reports = new ArrayList<>();
        for (String table : tables()) {
            try {
                reports.add(run(table, overrides));
            } catch (RuntimeException e) {
                LOG.error("Maintenance of {} failed", table, e);
                reports.add(MaintenanceReport.failed(table, e.getMessage()));
            }
        }
        return reports;
    }

    /**
     * Maintains one table with Lakeshift's defaults, the table's own properties over them, then
     * {@code overrides} (for example a command line's options).
     */
    public MaintenanceReport run(String table, UnaryOperator<MaintenanceSettings> overrides) {
        Table iceberg = load(table);
        return run(table, overrides.apply(MaintenanceSettings.defaults().forTable(iceberg.properties())));
    }

    /** Maintains one table with exactly these settings. */
    public MaintenanceReport run(String table, MaintenanceSettings settings) {
        long started = System.currentTimeMillis();
        Table iceberg = load(table);
        TableHealth before = health(table, iceberg);
        List<String> notes = new ArrayList<>();
        Counts counts = new Counts();
        if (iceberg.currentSnapshot() == null) {
            notes.add("empty table: nothing to do");
        } else {
            if (settings.compact()) {
                pruneDeleteMarkers(table, iceberg, settings, counts, notes);
                compact(table, iceberg, settings, counts, notes);
            }
            if (settings.rewriteDeletes()) {
                rewriteDeletes(table, iceberg, settings, counts, notes);
            }
            iceberg.refresh();
            boolean gc = Boolean.parseBoolean(iceberg.properties().getOrDefault(TableProperties.GC_ENABLED, "true"));
            if (settings.expireSnapshots()) {
                if (gc) {
                    expire(iceberg, settings, counts, notes);
                } else {
                    notes.add("snapshot expiry skipped: gc.enabled=false");
                }
            }
            if (settings.removeOrphans()) {
                if (gc) {
                    removeOrphans(table, iceberg, settings, counts);
                } else {
                    notes.add("orphan removal skipped: gc.enabled=false");
                }
            }
            if (settings.rewriteManifests()) {
                rewriteManifests(table, iceberg, settings, counts, notes);
            }
        }
        TableHealth after = health(table, iceberg);
        MaintenanceReport report = new MaintenanceReport(table, before.dataFiles(), before.deleteFiles(), after.dataFiles(),
                after.deleteFiles(), counts.rewrittenData, counts.addedData, counts.rewrittenDeletes, counts.addedDeletes,
                counts.prunedMarkers, counts.expired, counts.protectedSnapshots, counts.expiredFilesDeleted, counts.orphans, counts.rewrittenManifests,
                counts.addedManifests, counts.retries, System.currentTimeMillis() - started, notes);
        LOG.info("Maintenance {}", report.summaryLine());
        return report;
    }

    private void pruneDeleteMarkers(String table, Table iceberg, MaintenanceSettings s, Counts counts, List<String> notes) {
        String currentState = DeleteMarkerPruning.currentStateTableOf(iceberg).orElse(null);
        if (currentState == null) {
            return;
        }
        if (!spark.catalog().tableExists(catalog + "." + currentState)) {
            notes.add("delete markers kept: their current-state table " + currentState + " does not exist");
            return;
        }
        try {
            counts.prunedMarkers = DeleteMarkerPruning.prune(spark, catalog, table, iceberg, currentState, s.conflictRetries(),
                    RETRY_BACKOFF);
            LOG.info("Table {}: pruned {} delete marker(s) that a newer marker or a newer row of {} supersedes", table,
                    counts.prunedMarkers, currentState);
        } catch (Exception e) {
            if (!CommitConflicts.isRetriable(e)) {
                throw asRuntime(e);
            }
            notes.add("delete-marker pruning: kept conflicting with concurrent commits; left for the next pass");
        }
    }

    private void compact(String table, Table iceberg, MaintenanceSettings s, Counts counts, List<String> notes) {
        for (int attempt = 0; attempt <= s.conflictRetries(); attempt++) {
            iceberg.refresh();
            RewriteDataFiles action = SparkActions.get(spark).rewriteDataFiles(iceberg)
                    .option(RewriteDataFiles.TARGET_FILE_SIZE_BYTES, Long.toString(s.targetFileSizeBytes()))
                    .option("min-input-files", Integer.toString(s.minInputFiles()))
                    .option("delete-file-threshold", Integer.toString(s.deleteFileThreshold()))
                    .option(RewriteDataFiles.PARTIAL_PROGRESS_ENABLED, "true")
                    .option(RewriteDataFiles.PARTIAL_PROGRESS_MAX_COMMITS, "10")
                    .option(RewriteDataFiles.MAX_CONCURRENT_FILE_GROUP_REWRITES, "2")
                    .option(RewriteDataFiles.USE_STARTING_SEQUENCE_NUMBER, "true")
                    .option(RewriteDataFiles.REMOVE_DANGLING_DELETES, "true")
                    .snapshotProperty(MAINTENANCE, "compact");
            action = iceberg.sortOrder().isSorted() ? action.sort() : action.binPack();
            RewriteDataFiles.Result result;
            try {
                result = action.execute();
            } catch (RuntimeException e) {
                if (CommitConflicts.isRetriable(e) && attempt < s.conflictRetries()) {
                    counts.retries++;
                    LOG.info("Compaction of {} lost a race with a concurrent commit; planning again", table);
                    pause(attempt);
                    continue;
                }
                throw e;
            }
            counts.rewrittenData += result.rewrittenDataFilesCount();
            counts.addedData += result.addedDataFilesCount();
            counts.rewrittenDeletes += result.removedDeleteFilesCount();
            if (result.failedDataFilesCount() == 0) {
                return;
            }
            // File groups that lost a race (a concurrent MERGE added deletes to their files) were not committed.
            counts.retries++;
            LOG.info("Compaction of {}: {} data file(s) in groups that conflicted with concurrent commits; planning again",
                    table, result.failedDataFilesCount());
            pause(attempt);
        }
        notes.add("compaction: some file groups kept conflicting with concurrent commits; they are left for the next pass");
    }

    private void rewriteDeletes(String table, Table iceberg, MaintenanceSettings s, Counts counts, List<String> notes) {
        try {
            RewritePositionDeleteFiles.Result result = CommitConflicts.retry("Position delete rewrite of " + table,
                    s.conflictRetries(), RETRY_BACKOFF, () -> {
                        iceberg.refresh();
                        return SparkActions.get(spark).rewritePositionDeletes(iceberg)
                                .option("partial-progress.enabled", "true")
                                .option("min-input-files", Integer.toString(Math.min(2, s.minInputFiles())))
                                .option("target-file-size-bytes", Long.toString(s.targetFileSizeBytes()))
                                .snapshotProperty(MAINTENANCE, "rewrite-deletes")
                                .execute();
                    });
            counts.rewrittenDeletes += result.rewrittenDeleteFilesCount();
            counts.addedDeletes += result.addedDeleteFilesCount();
        } catch (Exception e) {
            if (!CommitConflicts.isRetriable(e)) {
                throw asRuntime(e);
            }
            notes.add("position delete rewrite: kept conflicting with concurrent commits; left for the next pass");
        }
    }

    private void expire(Table iceberg, MaintenanceSettings s, Counts counts, List<String> notes) {
        try {
            SnapshotExpiry.Result result = SnapshotExpiry.expire(iceberg, s.snapshotRetention(), s.minSnapshotsToKeep(), clock);
            counts.expired += result.expiredSnapshots();
            counts.protectedSnapshots = result.protection().protectedIds().size();
            counts.expiredFilesDeleted += result.deletedFiles();
        } catch (IllegalStateException e) {
            notes.add("snapshot expiry skipped: " + e.getMessage());
            LOG.warn("Snapshot expiry of {} skipped: {}", iceberg.name(), e.getMessage());
        }
    }

    private void removeOrphans(String table, Table iceberg, MaintenanceSettings s, Counts counts) {
        iceberg.refresh();
        long olderThan = clock.millis() - s.orphanFileAge().toMillis();
        DeleteOrphanFiles.Result result = SparkActions.get(spark).deleteOrphanFiles(iceberg)
                .olderThan(olderThan)
                .execute();
        for (String ignored : result.orphanFileLocations()) {
            counts.orphans++;
        }
        if (counts.orphans > 0) {
            LOG.info("Table {}: removed {} orphan file(s) older than {}", table, counts.orphans, s.orphanFileAge());
        }
    }

    private void rewriteManifests(String table, Table iceberg, MaintenanceSettings s, Counts counts, List<String> notes) {
        iceberg.refresh();
        long target = Long.parseLong(iceberg.properties().getOrDefault(TableProperties.MANIFEST_TARGET_SIZE_BYTES,
                Long.toString(TableProperties.MANIFEST_TARGET_SIZE_BYTES_DEFAULT)));
        long small = iceberg.currentSnapshot().dataManifests(iceberg.io()).stream().filter(m -> m.length() < target / 2).count();
        if (small < 2) {
            return;
        }
        try {
            RewriteManifests.Result result = CommitConflicts.retry("Manifest rewrite of " + table, s.conflictRetries(),
                    RETRY_BACKOFF, () -> {
                        iceberg.refresh();
                        return SparkActions.get(spark).rewriteManifests(iceberg)
                                .rewriteIf(m -> m.content() == org.apache.iceberg.ManifestContent.DATA && m.length() < target / 2)
                                .snapshotProperty(MAINTENANCE, "rewrite-manifests")
                                .execute();
                    });
            for (ManifestFile ignored : result.rewrittenManifests()) {
                counts.rewrittenManifests++;
            }
            for (ManifestFile ignored : result.addedManifests()) {
                counts.addedManifests++;
            }
        } catch (Exception e) {
            if (!CommitConflicts.isRetriable(e)) {
                throw asRuntime(e);
            }
            notes.add("manifest rewrite: kept conflicting with concurrent commits; left for the next pass");
        }
    }

    private TableHealth health(String name, Table iceberg) {
        return TableHealth.of(name, iceberg, HealthThresholds.defaults(), clock);
    }

    private Table load(String table) {
        try {
            return Spark3Util.loadIcebergTable(spark, catalog + "." + table);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot load Iceberg table " + catalog + "." + table + ": " + e.getMessage(), e);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(COMPACTION_BACKOFF.delay(attempt).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static RuntimeException asRuntime(Exception e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        return new IllegalStateException(e.getMessage(), e);
    }

    private static final class Counts {
        long rewrittenData;
        long addedData;
        long rewrittenDeletes;
        long addedDeletes;
        long prunedMarkers;
        long expired;
        long protectedSnapshots;
        long expiredFilesDeleted;
        long orphans;
        long rewrittenManifests;
        long addedManifests;
        int retries;
    }
}
