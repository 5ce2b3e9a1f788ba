package io.lakeshift.streaming;

import io.lakeshift.lakehouse.CompanionTables;
import io.lakeshift.lakehouse.LakeshiftColumns;
import java.util.List;
import org.apache.spark.sql.types.DataType;

/**
 * Where one pipeline's change topic is applied.
 *
 * @param pipeline pipeline name
 * @param topic the change topic
 * @param table the current-state Iceberg table, {@code catalog.namespace.table}
 * @param key key columns; {@code [_ls_row_key]} for a table without a key ({@link #keyless()})
 * @param columns the table's source columns (without bookkeeping), in table order
 * @param transform the pipeline's Spark SQL over the view {@code changes}, applied to a batch's
 *     changes before they reach the table; null for none
 * @param foldCase whether event columns match table columns whatever their case (the table's name
 *     is the source table's lower-cased: its columns were lower-cased too), else exactly
 */
record ApplyTarget(String pipeline, String topic, String table, List<String> key, List<TargetColumn> columns,
        String transform, boolean foldCase) {

    ApplyTarget(String pipeline, String topic, String table, List<String> key, List<TargetColumn> columns, String transform) {
        this(pipeline, topic, table, key, columns, transform, false);
    }

    /** A source column of the target table and its Spark type. */
    record TargetColumn(String name, DataType type, boolean required) {
    }

    /**
     * Whether the table has no key of its own: a row's identity is {@code _ls_row_key}, a canonical
     * encoding of the whole row, and two identical rows are one.
     */
    boolean keyless() {
        return key.equals(List.of(LakeshiftColumns.ROW_KEY));
    }

    String changelogTable() {
        return table + CompanionTables.CHANGELOG_SUFFIX;
    }

    String deletesTable() {
        return table + CompanionTables.DELETES_SUFFIX;
    }

    ApplyTarget withColumns(List<TargetColumn> newColumns) {
        return new ApplyTarget(pipeline, topic, table, key, newColumns, transform, foldCase);
    }
}
