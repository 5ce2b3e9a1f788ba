package io.lakeshift.runtime.console;

import io.lakeshift.batch.MaintenanceReport;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.ReportedState;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.ingestion.SourceStatus;
import io.lakeshift.lakehouse.HealthThresholds;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.TableHealth;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What the console shows, read from where the status commands read it: the status files every part
 * writes under the data folder, the tables' metadata in the catalog (as {@code tables health}), and
 * the migration engine's state. Holds nothing a process did not write down, so the console of a
 * stopped {@code up} still shows the last of everything.
 */
public final class ConsoleViews {

    /** The migrations, read on each call; empty when no pipeline has a playbook. */
    @FunctionalInterface
    public interface Migrations {
        List<MigrationView> read() throws Exception;
    }

    private final LakeshiftConfig config;
    private final Catalog catalog;
    private final Migrations migrations;
    private final Clock clock;
    private final ConsoleHistory history = new ConsoleHistory();

    /**
     * @param config the configuration of the parts (sources and pipelines declared)
     * @param catalog the catalog the lake tables are in
     * @param migrations reads the migrations' state
     */
    public ConsoleViews(LakeshiftConfig config, Catalog catalog, Migrations migrations, Clock clock) {
        this.config = config;
        this.catalog = catalog;
        this.migrations = migrations;
        this.clock = clock;
    }

    /** Every declared source, with what its process last reported. */
    public List<SourceView> sources() {
        Map<String, ComponentStatus> reported = reported("sources");
        long now = clock.millis();
        List<SourceView> views = new ArrayList<>();
        for (SourceConfig source : config.sources()) {
            ComponentStatus s = reported.get(source.name());
            if (s == null) {
                views.add(new SourceView(source.name(), source.kind(), "not running", 0, null, 0, null, null, null, null, 0, 0, null));
                continue;
            }
            Long lag = counter(s, "lagBytes");
            Long behind = counter(s, "behindMs");
            String error = s.details().getOrDefault("error", s.details().get("lastError"));
            views.add(new SourceView(s.name(), s.kind(), ReportedState.source(s, now), orZero(counter(s, "events")),
                    history.rate(s.name()), orZero(counter(s, "deadLetters")), lag, behind == null ? null : behind / 1000.0,
                    s.details().get("lastPosition"), error, s.updatedAtMs(), orZero(counter(s, "snapshotRows")),
                    snapshotProgress(s)));
        }
        return views;
    }

    /** Every declared pipeline, with what its apply job last reported. */
    public List<PipelineView> pipelines() {
        Map<String, ComponentStatus> reported = reported("pipelines");
        long now = clock.millis();
        List<PipelineView> views = new ArrayList<>();
        for (PipelineConfig p : config.pipelines()) {
            ComponentStatus s = reported.get(p.name());
            if (s == null) {
                views.add(new PipelineView(p.name(), p.source(), p.target(), p.stage(), "NOT RUNNING", null, null, null, null,
                        null, null, null, null, null, 0));
                continue;
            }
            Map<String, String> d = s.details();
            views.add(new PipelineView(p.name(), p.source(), p.target(), p.stage(), ReportedState.pipeline(s, now),
                    s.counters().get("recordsIn"), s.counters().get("rowsApplied"), s.counters().get("deadLetters"),
                    number(d.get("inputRowsPerSecond")), latency(d.get("freshnessP50Ms")), latency(d.get("freshnessP99Ms")),
                    number(d.get("lastBatchMs")), d.get("applyPath"), d.get("lastError"), s.updatedAtMs()));
        }
        return views;
    }

    /** Every table of the catalog, as {@code lakeshift tables health} reads it with its default thresholds. */
    public List<TableView> tables() {
        Map<String, ComponentStatus> maintained = maintenance();
        List<TableView> views = new ArrayList<>();
        for (TableIdentifier id : IcebergCatalogs.allTables(catalog)) {
            TableHealth h = TableHealth.of(id.toString(), catalog.loadTable(id), HealthThresholds.defaults(), clock);
            ComponentStatus m = maintained.get(h.table());
            String maintenance = m == null ? null : m.details().get("summary")
                    + (m.details().containsKey("notes") ? "; " + m.details().get("notes").replace('\n', ';') : "");
            views.add(new TableView(h.table(), h.dataFiles(), h.averageFileBytes(), h.deleteFiles(), h.snapshots(), h.rows(),
                    h.lastCommit() == null ? null : h.lastCommit().toEpochMilli(),
                    h.lastCommitAge() == null ? null : h.lastCommitAge().toSeconds(), h.warnings(),
                    m == null ? null : m.updatedAtMs(), maintenance));
        }
        return views;
    }

    /** The last maintenance pass of each table, by table, as {@code lakeshift maintain} left it. */
    public Map<String, ComponentStatus> maintenance() {
        return reported(MaintenanceReport.STATUS_GROUP);
    }

    public List<MigrationView> migrations() throws Exception {
        return migrations.read();
    }

    /** Takes a sample of sources and pipelines for the charts. */
    public void sample() {
        history.sample(clock.millis(), sources(), pipelines());
    }

    /** The charts' series over the last hour. */
    public Map<String, Map<String, List<ConsoleHistory.Point>>> history() {
        return history.snapshot();
    }

    private Map<String, ComponentStatus> reported(String group) {
        return new StatusFiles(config.dataDir(), group).readAll().stream()
                .collect(Collectors.toMap(ComponentStatus::name, Function.identity(), (a, b) -> a));
    }

    /** A counter the process reports, or null when it does not (negative means unknown to the reporter). */
    private static Long counter(ComponentStatus s, String key) {
        Long value = s.counters().get(key);
        return value == null || value < 0 ? null : value;
    }

    /** Rows read against the source's estimate, at most 1; null without an estimate (routes never have one). */
    private static Double snapshotProgress(ComponentStatus s) {
        Long expected = counter(s, "snapshotRowsExpected");
        return expected == null ? null : SourceStatus.snapshotProgress(orZero(counter(s, "snapshotRows")), expected);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static Long number(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Math.round(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A freshness figure; the job writes -1 while its window holds no change. */
    private static Long latency(String text) {
        Long value = number(text);
        return value == null || value < 0 ? null : value;
    }
}
