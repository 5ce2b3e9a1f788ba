package io.lakeshift.cli.batch;

import io.lakeshift.batch.BatchPositions;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.jdbc.Lsn;
import io.lakeshift.lakehouse.CatalogRuntime;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.runtime.CommonOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lakeshift batch mark-position TABLE --position POS}: records, on the output of a batch job
 * Lakeshift did not write, the source position it read at, so the migration's reconciliation can
 * compare that output with the streaming side.
 */
@Command(name = "mark-position", mixinStandardHelpOptions = true,
        description = {"Records the source position a batch job read at on the table it wrote: a commit that",
            "changes no data and carries the position in its snapshot summary (lakeshift.source-position",
            "unless --property says otherwise), which 'lakeshift migrate reconcile' compares at.",
            "Take the position with 'lakeshift batch position' just before the job reads."})
public final class BatchMarkPositionCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TABLE", description = "namespace.table the batch job wrote")
    String table;

    @Option(names = "--position", required = true, paramLabel = "POS",
            description = "The source position the job read at: lsn=16/B374D848, 16/B374D848 or a number.")
    String position;

    @Option(names = "--property", paramLabel = "KEY", defaultValue = BatchPositions.PROPERTY,
            description = "Snapshot-summary property, as the pipeline's playbook names it (batch.positionProperty)."
                    + " Default: ${DEFAULT-VALUE}.")
    String property;

    @Override
    public Integer call() {
        try {
            Lsn.parse(position);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--position: " + e.getMessage());
        }
        LakeshiftConfig config = common.load();
        Snapshot marked;
        try (CatalogRuntime runtime = CatalogRuntime.start(config)) {
            Catalog catalog = runtime.open();
            try {
                marked = BatchPositions.mark(catalog.loadTable(TableIdentifier.parse(table)), property, position,
                        "lakeshift batch mark-position");
            } finally {
                IcebergCatalogs.close(catalog);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("recorded " + property + "=" + marked.summary().get(property) + " on " + table + " (snapshot "
                + marked.snapshotId() + ")");
        out.flush();
        return 0;
    }
}
