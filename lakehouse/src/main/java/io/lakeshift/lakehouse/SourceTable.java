package io.lakeshift.lakehouse;

import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A source table's columns, each with the envelope {@link LogicalType} its values travel with, and
 * its primary key: read from a database's JDBC metadata ({@link #read}) or built from declared
 * columns ({@link #of}, file and queue sources).
 *
 * @param schema source schema
 * @param table source table
 * @param columns columns in ordinal order
 * @param primaryKey primary key columns in key order, empty when the table has none
 */
public record SourceTable(String schema, String table, List<SourceColumn> columns, List<String> primaryKey) {

    public SourceTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /**
     * One column.
     *
     * @param name the source column name
     * @param type the logical type of its values ({@link SourceTypeMapping})
     * @param nullable whether the column may be null
     * @param sourceType the database's own type name ({@code int8}, {@code _text}, {@code DATETIME}),
     *     for readers that query the source directly; null for a declared column
     */
    public record SourceColumn(String name, LogicalType type, boolean nullable, String sourceType) {

        public SourceColumn {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        /** A declared column, with no database type behind it. */
        public SourceColumn(String name, LogicalType type, boolean nullable) {
            this(name, type, nullable, null);
        }
    }

    /**
     * A table from declared columns.
     *
     * @param columns the columns, with their logical types; {@link Column#optional()} is nullability
     * @param primaryKey key columns in key order, empty for none
     */
    public static SourceTable of(String schema, String table, List<Column> columns, List<String> primaryKey) {
        List<SourceColumn> out = new ArrayList<>(columns.size());
        for (Column c : columns) {
            out.add(new SourceColumn(c.name(), c.type(), c.optional()));
        }
        return new SourceTable(schema, table, out, primaryKey);
    }

    /**
     * Reads a table's columns and primary key from JDBC metadata, the kind of database told by the
     * driver's product name; see {@link #read(Connection, String, String, String)}.
     */
    public static SourceTable read(Connection connection, String schema, String table) throws SQLException {
        return read(connection, kindOf(connection), schema, table);
    }

    /** The source kind of a connection's database, by the driver's product name; null when not one Lakeshift captures. */
    static String kindOf(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
        if (product.contains("postgres")) {
            return SourceTypeMapping.POSTGRES;
        }
        if (product.contains("mariadb")) {
            return SourceTypeMapping.MARIADB;
        }
        return product.contains("mysql") ? SourceTypeMapping.MYSQL : null;
    }

    /**
     * Reads a table's columns and primary key from JDBC metadata, mapping each column's type with
     * {@link SourceTypeMapping}.
     *
     * @param sourceKind the kind of database ({@code postgres}, {@code mysql}, {@code mariadb})
     */
    public static SourceTable read(Connection connection, String sourceKind, String schema, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        // MySQL and MariaDB have no schemas: their databases are JDBC catalogs.
        boolean catalogs = SourceTypeMapping.MYSQL.equals(sourceKind) || SourceTypeMapping.MARIADB.equals(sourceKind);
        String catalog = catalogs ? schema : null;
        String schemaPattern = catalogs ? null : schema;
        Map<String, String> domains = SourceTypeMapping.POSTGRES.equals(sourceKind) ? postgresDomains(connection, schema, table)
                : Map.of();
        List<SourceColumn> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(catalog, schemaPattern, table, null)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                String typeName = domains.getOrDefault(name, rs.getString("TYPE_NAME"));
                LogicalType type = SourceTypeMapping.logicalType(sourceKind, schema + "." + table + "." + name,
                        rs.getInt("DATA_TYPE"), typeName, rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"));
                columns.add(new SourceColumn(name, type, rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, typeName));
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("source table " + schema + "." + table + " does not exist or has no visible columns");
        }
        Map<Short, String> key = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(catalog, schemaPattern, table)) {
            while (rs.next()) {
                key.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return new SourceTable(schema, table, columns, List.copyOf(key.values()));
    }

    /**
     * The base type name of each column whose type is a PostgreSQL domain: a domain's values are
     * its base type's, and change data capture sends them as such.
     */
    private static Map<String, String> postgresDomains(Connection connection, String schema, String table) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT a.attname, b.typname FROM pg_attribute a"
                + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_type t ON t.oid = a.atttypid JOIN pg_type b ON b.oid = t.typbasetype"
                + " WHERE n.nspname = ? AND c.relname = ? AND t.typtype = 'd' AND a.attnum > 0 AND NOT a.attisdropped")) {
            st.setString(1, schema);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }
}
