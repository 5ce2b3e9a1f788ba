package io.lakeshift.runtime.console;

import com.sun.net.httpserver.HttpExchange;
import io.lakeshift.core.config.MetricsConfig;
import io.lakeshift.core.metrics.MetricsEndpoint;
import io.lakeshift.core.status.ComponentStatus;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The console's own Prometheus metrics, served on its {@code /metrics}: each lake table's health (files,
 * deletes, snapshots, last commit) and its last maintenance pass, one series per table, plus the
 * JVM's. The other parts serve theirs on their own ports; the tables belong to no single part, and the
 * console reads them anyway.
 */
final class ConsoleMetrics implements AutoCloseable {

    private final MetricsEndpoint endpoint = MetricsEndpoint.start(new MetricsConfig(0, 2_000), "console");
    private final List<Family<TableView>> tables = new ArrayList<>();
    private final List<Family<ComponentStatus>> maintenance = new ArrayList<>();

    ConsoleMetrics() {
        table("lakeshift.table.data.files", null, "live data files", TableView::dataFiles);
        table("lakeshift.table.delete.files", null, "live delete files (each one is read by every query)", TableView::deleteFiles);
        table("lakeshift.table.snapshots", null, "snapshots in the table's metadata", TableView::snapshots);
        table("lakeshift.table.average.file", "bytes", "average size of a data file", TableView::averageFileBytes);
        table("lakeshift.table.rows", null, "rows a reader sees (an estimate with delete files)", TableView::rows);
        table("lakeshift.table.last.commit.age", "seconds", "time since the current snapshot",
                t -> t.lastCommitAgeSeconds() == null ? Double.NaN : t.lastCommitAgeSeconds());
        table("lakeshift.table.health.warnings", null, "health thresholds crossed (as in lakeshift tables health)",
                t -> t.warnings().size());
        maintenance("lakeshift.maintenance.last.run.timestamp", "seconds", "when the last maintenance pass ended",
                s -> s.updatedAtMs() / 1000.0);
        maintenance("lakeshift.maintenance.last.duration", "seconds", "wall time of the last maintenance pass",
                s -> counter(s, "durationMs") / 1000.0);
        maintenance("lakeshift.maintenance.last.rewritten.data.files", null, "data files the last pass compacted",
                s -> counter(s, "rewrittenDataFiles"));
        maintenance("lakeshift.maintenance.last.rewritten.delete.files", null, "delete files the last pass applied or rewrote",
                s -> counter(s, "rewrittenDeleteFiles"));
        maintenance("lakeshift.maintenance.last.expired.snapshots", null, "snapshots the last pass expired",
                s -> counter(s, "expiredSnapshots"));
        maintenance("lakeshift.maintenance.last.orphan.files.deleted", null, "unreferenced files the last pass deleted",
                s -> counter(s, "orphanFilesDeleted"));
        maintenance("lakeshift.maintenance.last.failed", null, "1 when a step of the last pass failed",
                s -> "FAILED".equals(s.state()) ? 1 : 0);
    }

    /** Replaces every series with what the views show now; a table gone from the catalog leaves. */
    void update(Collection<TableView> tableViews, Map<String, ComponentStatus> maintained) {
        tables.forEach(f -> f.set(tableViews, TableView::name));
        maintenance.forEach(f -> f.set(maintained.values(), ComponentStatus::name));
    }

    /** Answers a scrape of {@code /metrics} in the format it asks for. */
    void serve(HttpExchange exchange) throws IOException {
        endpoint.serveMetrics(exchange);
    }

    private void table(String name, String unit, String help, ToDoubleFunction<TableView> value) {
        tables.add(new Family<>(MultiGauge.builder(name).baseUnit(unit).description(help).register(endpoint.registry()), value));
    }

    private void maintenance(String name, String unit, String help, ToDoubleFunction<ComponentStatus> value) {
        maintenance.add(new Family<>(MultiGauge.builder(name).baseUnit(unit).description(help).register(endpoint.registry()), value));
    }

    private static double counter(ComponentStatus s, String key) {
        Long v = s.counters().get(key);
        return v == null ? Double.NaN : v;
    }

    @Override
    public void close() {
        endpoint.close();
    }

    private record Family<T>(MultiGauge gauge, ToDoubleFunction<T> value) {
        void set(Collection<T> items, java.util.function.Function<T, String> table) {
            gauge.register(items.stream().map(i -> MultiGauge.Row.of(Tags.of("table", table.apply(i)), value.applyAsDouble(i)))
                    .toList(), true);
        }
    }
}
