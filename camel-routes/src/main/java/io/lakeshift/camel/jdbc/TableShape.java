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
    private final List<String> names;
    private final List<LogicalType> types;
    private final List<Boolean> nullable;
    private final int watermarkIndex;
    private final int[] keyIndexes;

    private TableShape(String qualifiedTable, List<String> names, List<LogicalType> types, List<Boolean> nullable,
            int watermarkIndex, int[] keyIndexes) {
        this.qualifiedTable = qualifiedTable;
        this.names = names;
        this.types = types;
        this.nullable = nullable;
        this.watermarkIndex = watermarkIndex;
        this.keyIndexes = keyIndexes;
    }

    /**
     * Reads the table's shape.
     *
     * @throws IllegalStateException naming a watermark or key column the table lacks
     */
    static TableShape read(Connection connection, String schema, String table, String watermarkColumn, List<String> key)
            throws SQLException {
        String qualified = schema + "." + table;
        List<String> names = new ArrayList<>();
        List<LogicalType> types = new ArrayList<>();
        List<Boolean> nullable = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + qualified + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnLabel(i));
                types.add(JdbcValues.typeOf(meta, i));
                nullable.add(meta.isNullable(i) != ResultSetMetaData.columnNoNulls);
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
        List<String> keyColumns = key.isEmpty() ? primaryKey(connection.getMetaData(), schema, table) : key;
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
        return new TableShape(qualified, List.copyOf(names), List.copyOf(types), List.copyOf(nullable), watermark, keyIndexes);
    }

    private static List<String> primaryKey(DatabaseMetaData meta, String schema, String table) throws SQLException {
        Map<Short, String> byPosition = new TreeMap<>();
        for (String[] variant : new String[][] {{schema, table}, {schema.toUpperCase(Locale.ROOT), table.toUpperCase(Locale.ROOT)},
                {schema.toLowerCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}}) {
            try (ResultSet rs = meta.getPrimaryKeys(null, variant[0], variant[1])) {
                while (rs.next()) {
                    byPosition.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
            if (!byPosition.isEmpty()) {
                break;
            }
        }
        return List.copyOf(byPosition.values());
    }

    private static int indexOf(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
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
     * {@code SELECT *} of the rows after a watermark, in watermark then key order. Parameters: for a
     * watermark w and last key (k1, k2): w, w, k1, k1, k2 (see {@link #bind}).
     */
    String query(boolean fromStart) {
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(qualifiedTable).append(" WHERE ");
        String w = names.get(watermarkIndex);
        if (fromStart) {
            sql.append(w).append(" IS NOT NULL");
        } else {
            sql.append("(").append(w).append(" > ? OR (").append(w).append(" = ? AND ").append(keyAfter(0)).append("))");
        }
        sql.append(" ORDER BY ").append(w);
        for (int k : keyIndexes) {
            sql.append(", ").append(names.get(k));
        }
        return sql.toString();
    }

    /** {@code k1 > ? OR (k1 = ? AND (k2 > ?))}, from key column {@code i} on. */
    private String keyAfter(int i) {
        String k = names.get(keyIndexes[i]);
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
