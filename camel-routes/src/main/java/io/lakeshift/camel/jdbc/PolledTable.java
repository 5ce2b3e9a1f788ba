package io.lakeshift.camel.jdbc;

import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.core.envelope.Column;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns and key of a polled table exactly as its route declares them in every envelope: the
 * database's column names, types mapped as the route maps them, the declared key or else the primary key.
 *
 * @param columns the table's columns in table order
 * @param key the key columns (never empty: a polled table needs a declared or primary key)
 */
public record PolledTable(List<Column> columns, List<String> key) {

    public PolledTable {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
    }

    /**
     * Reads the table's metadata from its database, logged in as the source's user.
     *
     * @throws SQLException when the database cannot be reached or the table read
     * @throws IllegalStateException when the table lacks the watermark column or a key
     */
    public static PolledTable read(SourceSpec.Jdbc spec) throws SQLException {
        try (Connection connection = JdbcConnections.open(spec)) {
            TableShape shape = TableShape.read(connection, spec.sourceSchema(), spec.sourceTable(),
                    spec.settings().watermarkColumn(), spec.settings().key());
            List<String> key = new ArrayList<>();
            for (int k : shape.keyIndexes()) {
                key.add(shape.names().get(k));
            }
            return new PolledTable(shape.envelopeColumns(), key);
        }
    }
}
