package io.lakeshift.lakehouse;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A source table's columns and primary key, as JDBC metadata describes them.
 *
 * @param schema source schema
 * @param table source table
 * @param columns columns in ordinal order
 * @param primaryKey primary key columns in key order, empty when the table has none
 */
public record SourceTable(String schema, String table, List<SourceColumn> columns, List<String> primaryKey) {

    /** One column as JDBC reports it. */
    public record SourceColumn(String name, int jdbcType, String typeName, int precision, int scale, boolean nullable) {
    }

    /** A table from declared envelope columns (file and JMS sources). */
    public static SourceTable of(String schema, String table, List<io.lakeshift.core.envelope.Column> columns, List<String> primaryKey) {
        List<SourceColumn> out = new ArrayList<>();
        for (io.lakeshift.core.envelope.Column c : columns) {
            var t = c.type();
            int jdbc = switch (t.kind()) {
                case BOOLEAN -> java.sql.Types.BOOLEAN;
                case INT16, INT32 -> java.sql.Types.INTEGER;
                case INT64 -> java.sql.Types.BIGINT;
                case FLOAT32 -> java.sql.Types.REAL;
                case FLOAT64 -> java.sql.Types.DOUBLE;
                case DECIMAL -> java.sql.Types.DECIMAL;
                case BINARY -> java.sql.Types.VARBINARY;
                case DATE -> java.sql.Types.DATE;
                case TIME -> java.sql.Types.VARCHAR;
                case TIMESTAMP -> java.sql.Types.TIMESTAMP;
                case TIMESTAMPTZ -> java.sql.Types.TIMESTAMP_WITH_TIMEZONE;
                default -> java.sql.Types.VARCHAR;
            };
            out.add(new SourceColumn(c.name(), jdbc, t.kind().name(), t.precision(), t.scale(), c.optional()));
        }
        return new SourceTable(schema, table, List.copyOf(out), List.copyOf(primaryKey));
    }

    public static SourceTable read(Connection connection, String schema, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<SourceColumn> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, schema, table, null)) {
            while (rs.next()) {
                columns.add(new SourceColumn(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"),
                        rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"),
                        rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("source table " + schema + "." + table + " does not exist or has no visible columns");
        }
        Map<Short, String> key = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) {
                key.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return new SourceTable(schema, table, List.copyOf(columns), List.copyOf(key.values()));
    }
}
