package io.lakeshift.camel;

import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.camel.config.SourceSpecs;
import io.lakeshift.camel.jdbc.PolledTable;
import io.lakeshift.camel.record.ColumnSpec;
import io.lakeshift.camel.record.RecordLayout;
import io.lakeshift.camel.record.RecordSchema;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.SourceConfig;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The lake tables of the non-CDC sources ({@code kind: file}, {@code jms}, {@code jdbc}), for
 * creating them before a source's first event. The columns, types and keys are the ones the
 * source's route writes into its envelopes.
 */
public final class SourceTables {

    private SourceTables() {
    }

    /**
     * The tables a source feeds, from its configuration alone (no I/O).
     *
     * <ul>
     *   <li>{@code file} and {@code jms}: the declared columns (the operation column left out), typed
     *       as declared, key columns not optional; the declared key, empty for a whole-row key. A CSV
     *       source with a header and no declared columns gets {@code columns == null}: its columns are
     *       each file's header names, all optional strings (key columns required).</li>
     *   <li>{@code jdbc}: {@code columns == null} and the declared key, empty meaning the table's
     *       primary key. The columns come from the source table's JDBC metadata: read them with
     *       {@link #polled}, which maps them exactly as the route does.</li>
     * </ul>
     *
     * @throws io.lakeshift.core.config.ConfigException when the source's settings are invalid, naming each key
     * @throws IllegalArgumentException when the source is captured by CDC
     */
    public static List<DeclaredTable> declared(LakeshiftConfig config, SourceConfig source) {
        SourceSpec spec = SourceSpecs.of(config, source);
        String schemaTable = spec.table().schema() + "." + spec.table().table();
        if (spec instanceof SourceSpec.File f) {
            return List.of(fromLayout(schemaTable, f.layout()));
        }
        if (spec instanceof SourceSpec.Jms m) {
            return List.of(fromLayout(schemaTable, m.layout()));
        }
        SourceSpec.Jdbc j = (SourceSpec.Jdbc) spec;
        return List.of(new DeclaredTable(schemaTable, null, j.settings().key()));
    }

    /**
     * The table of a {@code kind: jdbc} source with its columns, read from the source database's
     * metadata (logged in as the source's user): the columns as the route types them, the declared
     * key or else the primary key (never empty). Needs the database's JDBC driver on the class path.
     *
     * @throws SQLException when the database cannot be reached or the table read
     * @throws IllegalStateException when the table lacks the watermark column or any key
     * @throws IllegalArgumentException when the source is not a JDBC polling source
     */
    public static DeclaredTable polled(LakeshiftConfig config, SourceConfig source) throws SQLException {
        SourceSpec spec = SourceSpecs.of(config, source);
        if (!(spec instanceof SourceSpec.Jdbc j)) {
            throw new IllegalArgumentException("source '" + source.name() + "' is a " + source.kind()
                    + " source, not a JDBC polling source");
        }
        PolledTable table = PolledTable.read(j);
        return new DeclaredTable(spec.table().schema() + "." + spec.table().table(), table.columns(), table.key());
    }

    private static DeclaredTable fromLayout(String schemaTable, RecordLayout layout) {
        if (layout.columns().isEmpty()) {
            return new DeclaredTable(schemaTable, null, layout.key());
        }
        List<ColumnSpec> input = new ArrayList<>(layout.columns());
        // a CSV header may name the operation column without a declaration; it is never a row column
        if (layout.hasOperationColumn() && input.stream().noneMatch(c -> c.name().equals(layout.operationColumn()))) {
            input.add(ColumnSpec.text(layout.operationColumn()));
        }
        RecordSchema schema = RecordSchema.of(layout, input);
        return new DeclaredTable(schemaTable, schema.envelopeColumns(), layout.key());
    }
}
