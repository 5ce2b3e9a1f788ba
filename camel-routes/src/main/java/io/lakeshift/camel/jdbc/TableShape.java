package io.lakeshift.camel.jdbc;

import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A polled table's columns as the database reports them, which one is the watermark and which are
 * the key (declared, or the primary key); and the incremental query built from them.
 */
final class TableShape {

    private final String qualifiedTable;
    private final SqlIdentifiers ids;
    private final List<String> names;
    private final List<LogicalType> types;
    private final List<Boolean> nullable;
    private final int watermarkIndex;
    private final int[] keyIndexes;

    private TableShape(String qualifiedTable, SqlIdentifiers ids, List<String> names, List<LogicalType> types, List<Boolean> nullable,
            int watermarkIndex, int[] keyIndexes) {
        this.qualifiedTable = qualifiedTable;
        this.ids = ids;
        this.names = names;
        this.types = types;
        this.nullable = nullable;
        this.watermarkIndex = watermarkIndex;
        this.keyIndexes = keyIndexes;
    }

    /**
     * Reads the table's shape. The names are looked up as written, then as the database folds
     * unquoted names (upper or lower case), and queried as the database stores them, quoted.
     *
     * @throws IllegalStateException naming a watermark or key column the table lacks
     */
    static TableShape read(Connection connection, String schema, String table, String watermarkColumn, List<String> key)
            throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        SqlIdentifiers ids = SqlIdentifiers.of(meta);
        String[] stored = storedName(meta, ids, schema, table);
        String qualified = ids.qualified(stored[0], stored[1]);
        List<String> names = new ArrayList<>();
        List<LogicalType> types = new ArrayList<>();
        List<Boolean> nullable = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + qualified + " WHERE 1 = 0")) {
            ResultSetMetaData rsMeta = rs.getMetaData();
            for (int i = 1; i <= rsMeta.getColumnCount(); i++) {
                names.add(rsMeta.getColumnLabel(i));
                types.add(JdbcValues.typeOf(rsMeta, i));
                nullable.add(rsMeta.isNullable(i) != ResultSetMetaData.columnNoNulls);
            }
        }
        int watermark = indexOf(names, watermarkColumn);
        if (watermark < 0) {
            throw new IllegalStateException("table " + qualified + " has no watermark column '" + watermarkColumn + "' (it has " + names + ")");
        }
        if (!JdbcValues.orderable(types.get(watermark))) {
            throw new IllegalStateException("watermark column '" + watermarkColumn + "' of " + qualified + " is "
                    + types.get(watermark) + "; it must be a number, a date or a timestamp");
        }
        List<String> keyColumns = key.isEmpty() ? primaryKey(meta, stored[0], stored[1]) : key;
        if (keyColumns.isEmpty()) {
            throw new IllegalStateException("table " + qualified + " has no primary key: declare settings.key");
        }
        int[] keyIndexes = new int[keyColumns.size()];
        for (int k = 0; k < keyColumns.size(); k++) {
            keyIndexes[k] = indexOf(names, keyColumns.get(k));
            if (keyIndexes[k] < 0) {
                throw new IllegalStateException("table " + qualified + " has no key column '" + keyColumns.get(k) + "' (it has " + names + ")");
            }
        }
        return new TableShape(qualified, ids, List.copyOf(names), List.copyOf(types), List.copyOf(nullable), watermark, keyIndexes);
    }

    /** {schema, table} as the database stores them; as given when the metadata does not list the table. */
    private static String[] storedName(DatabaseMetaData meta, SqlIdentifiers ids, String schema, String table) throws SQLException {
        List<String[]> variants = new ArrayList<>();
        variants.add(new String[] {schema, table});
        if (meta.storesUpperCaseIdentifiers()) {
            variants.add(new String[] {schema.toUpperCase(Locale.ROOT), table.toUpperCase(Locale.ROOT)});
        }
        if (meta.storesLowerCaseIdentifiers()) {
            variants.add(new String[] {schema.toLowerCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)});
        }
        for (String[] v : variants) {
            try (ResultSet rs = meta.getTables(null, ids.pattern(v[0]), ids.pattern(v[1]), null)) {
                if (rs.next()) {
                    return new String[] {rs.getString("TABLE_SCHEM"), rs.getString("TABLE_NAME")};
                }
            }
        }
        return new String[] {schema, table};
    }

    private static List<String> primaryKey(DatabaseMetaData meta, String schema, String table) throws SQLException {
        Map<Short, String> byPosition = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) {
                byPosition.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(byPosition.values());
    }

    /** The column named exactly so, else the only one named so ignoring case, else -1. */
    private static int indexOf(List<String> names, String name) {
        int exact = names.indexOf(name);
        if (exact >= 0) {
            return exact;
        }
        int found = -1;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    /** The table as queried: {@code "schema"."table"}, quoted. */
    String qualifiedTable() {
        return qualifiedTable;
    }

    List<String> names() {
        return names;
    }

    LogicalType type(int i) {
        return types.get(i);
    }

    int columnCount() {
        return names.size();
    }

    int watermarkIndex() {
        return watermarkIndex;
    }

    int[] keyIndexes() {
        return keyIndexes.clone();
    }

    List<Column> envelopeColumns() {
        List<Column> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            boolean key = false;
            for (int k : keyIndexes) {
                key |= k == i;
            }
            out.add(new Column(names.get(i), types.get(i), nullable.get(i) && !key));
        }
        return out;
    }

    /**
     * {@code SELECT *} (every identifier quoted, every value a parameter) of the rows after a watermark, in watermark then key order. Parameters: for a
     * watermark w and last key (k1, k2): w, w, k1, k1, k2 (see {@link #bind}).
     */
    String query(boolean fromStart) {
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(qualifiedTable).append(" WHERE ");
        String w = ids.quote(names.get(watermarkIndex));
        if (fromStart) {
            sql.append(w).append(" IS NOT NULL");
        } else {
            sql.append("(").append(w).append(" > ? OR (").append(w).append(" = ? AND ").append(keyAfter(0)).append("))");
        }
        sql.append(" ORDER BY ").append(w);
        for (int k : keyIndexes) {
            sql.append(", ").append(ids.quote(names.get(k)));
        }
        return sql.toString();
    }

    /** {@code k1 > ? OR (k1 = ? AND (k2 > ?))}, from key column {@code i} on. */
    private String keyAfter(int i) {
        String k = ids.quote(names.get(keyIndexes[i]));
        if (i == keyIndexes.length - 1) {
            return k + " > ?";
        }
        return "(" + k + " > ? OR (" + k + " = ? AND " + keyAfter(i + 1) + "))";
    }

    /** Binds the parameters of {@link #query(boolean) query(false)}. */
    void bind(java.sql.PreparedStatement st, Watermark after) throws SQLException {
        int p = 1;
        Object w = JdbcValues.parameter(types.get(watermarkIndex), after.value());
        st.setObject(p++, w);
        st.setObject(p++, w);
        for (int i = 0; i < keyIndexes.length; i++) {
            Object k = JdbcValues.parameter(types.get(keyIndexes[i]), i < after.key().size() ? after.key().get(i) : null);
            st.setObject(p++, k);
            if (i < keyIndexes.length - 1) {
                st.setObject(p++, k);
            }
        }
    }
}
