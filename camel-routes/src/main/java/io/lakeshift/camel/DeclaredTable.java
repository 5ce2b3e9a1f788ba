package io.lakeshift.camel;

import io.lakeshift.core.envelope.Column;
import java.util.List;
import java.util.Objects;

/**
 * A lake table a non-CDC source feeds, as its route will declare it in every envelope: what the
 * table must be created with before the source's first event.
 *
 * @param schemaTable the source's table as declared, {@code schema.table}
 * @param columns the row's columns in order, with the logical types and nullability the envelopes carry
 *     (columns of a declared key are never optional); {@code null} when they are not known from the configuration:
 *     a CSV whose header names its columns (each file's header gives them, every one a string) or a
 *     JDBC polling source (see {@link SourceTables#declared})
 * @param key the key columns; empty means the whole row is the key
 */
public record DeclaredTable(String schemaTable, List<Column> columns, List<String> key) {

    public DeclaredTable {
        Objects.requireNonNull(schemaTable, "schemaTable");
        columns = columns == null ? null : List.copyOf(columns);
        key = List.copyOf(key);
    }

    /** Whether {@link #columns()} is known from the configuration. */
    public boolean columnsDeclared() {
        return columns != null;
    }
}
