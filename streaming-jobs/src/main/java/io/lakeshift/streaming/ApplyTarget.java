package io.lakeshift.streaming;

import java.util.List;
import org.apache.spark.sql.types.DataType;

/**
 * Where one pipeline's change topic is applied.
 *
 * @param pipeline pipeline name
 * @param topic the change topic
 * @param table the Iceberg table, {@code catalog.namespace.table}
 * @param key key columns
 * @param columns the table's source columns (without bookkeeping), in table order
 */
record ApplyTarget(String pipeline, String topic, String table, List<String> key, List<TargetColumn> columns) {

    /** A source column of the target table and its Spark type. */
    record TargetColumn(String name, DataType type, boolean required) {
    }
}
