package io.lakeshift.cli.tables;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.cli.TextTable;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.CatalogRuntime;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.TableSnapshots;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeshift tables snapshots <table>}: snapshots (newest first), branches and tags, for time travel. */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = {"Lists a table's snapshots (newest first) with their operation and",
            "Lakeshift markers, then its branches and tags. Query any of them:",
            "  lakeshift sql \"SELECT * FROM lakeshift.retail.orders",
            "      FOR VERSION AS OF <snapshot-id | 'tag' | 'branch'>\"",
            "  lakeshift sql \"SELECT * FROM lakeshift.retail.orders",
            "      FOR TIMESTAMP AS OF TIMESTAMP '2026-03-01 10:00:00'\""})
public final class TablesSnapshotsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TABLE", description = "namespace.table")
    String table;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Show at most N snapshots. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
        LakeshiftConfig config = common.load();
        TableSnapshots listing;
        try (CatalogRuntime runtime = CatalogRuntime.start(config)) {
            Catalog catalog = runtime.open();
            try {
                listing = TableSnapshots.of(table, catalog.loadTable(TableIdentifier.parse(table)), limit);
            } finally {
                IcebergCatalogs.close(catalog);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(listing, config.catalog().name()));
        out.flush();
        return 0;
    }

    static String render(TableSnapshots listing, String catalogName) {
        StringBuilder sb = new StringBuilder();
        TextTable snapshots = new TextTable("snapshot id", "committed at", "operation", "parent", "refs", "summary");
        for (TableSnapshots.Entry e : listing.snapshots()) {
            snapshots.row(Long.toString(e.snapshotId()), TIME.format(e.committedAt()), e.operation(),
                    e.parentId() == null ? null : Long.toString(e.parentId()), String.join(",", e.refs()), summary(e.summary()));
        }
        sb.append(snapshots.isEmpty() ? "no snapshots\n" : snapshots.render());
        sb.append('\n');
        TextTable refs = new TextTable("ref", "type", "snapshot id", "retention");
        for (TableSnapshots.Ref r : listing.refs()) {
            refs.row(r.name(), r.type(), Long.toString(r.snapshotId()), retention(r));
        }
        sb.append(refs.isEmpty() ? "no branches or tags\n" : refs.render());
        if (!listing.snapshots().isEmpty()) {
            sb.append(String.format("%ntime travel: lakeshift sql \"SELECT * FROM %s.%s FOR VERSION AS OF %d\"%n", catalogName,
                    listing.table(), listing.snapshots().get(listing.snapshots().size() - 1).snapshotId()));
        }
        return sb.toString();
    }

    private static String summary(Map<String, String> summary) {
        return summary.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String retention(TableSnapshots.Ref r) {
        StringBuilder sb = new StringBuilder();
        if (r.maxRefAgeMs() != null) {
            sb.append("ref kept ").append(r.maxRefAgeMs() / 3_600_000).append("h ");
        }
        if (r.minSnapshotsToKeep() != null) {
            sb.append("keeps ").append(r.minSnapshotsToKeep()).append(" snapshots ");
        }
        if (r.maxSnapshotAgeMs() != null) {
            sb.append("snapshots kept ").append(r.maxSnapshotAgeMs() / 3_600_000).append("h");
        }
        return sb.length() == 0 ? "table default" : sb.toString().trim();
    }
}
