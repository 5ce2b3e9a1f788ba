package io.lakeshift.streaming;

import io.lakeshift.lakehouse.CompanionTables;
import java.util.List;
import org.apache.spark.sql.types.DataType;

/**
 * Where one pipeline's change topic is applied.
 *
 * @param pipeline pipeline name
 * @param topic the change topic
 * @param table the current-state Iceberg table, {@code catalog.namespace.table}
 * @param key key columns
 * @param columns the table's source columns (without bookkeeping), in table order
 * @param transform the pipeline's Spark SQL over the view {@code changes}, applied to a batch's
 *     changes before they reach the table; null for none
 */
record ApplyTarget(String pipeline, String topic, String table, List<String> key, List<TargetColumn> columns,
        String transform) {

    /** A source column of the target table and its Spark type. */
    record TargetColumn(String name, DataType type, boolean required) {
    }

    String changelogTable() {
        return table + CompanionTables.CHANGELOG_SUFFIX;
    }

    String deletesTable() {
        return table + CompanionTables.DELETES_SUFFIX;
    }

    ApplyTarget withColumns(List<TargetColumn> newColumns) {
        return new ApplyTarget(pipeline, topic, table, key, newColumns, transform);
    }
}
