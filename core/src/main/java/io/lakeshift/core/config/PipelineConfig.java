package io.lakeshift.core.config;

import java.util.List;

/**
 * One source table flowing into one lakehouse table.
 *
 * @param name pipeline name, unique
 * @param source the source name
 * @param table the source table, {@code schema.table}
 * @param target the Iceberg table, {@code namespace.table}
 * @param key key columns; empty means the source's primary key
 * @param stage the migration stage: BATCH, SHADOW, INCREMENTAL or STREAMING
 * @param dag the Airflow DAG of the legacy batch job that writes the target, or null
 * @param schedule the batch job's cron schedule (or an Airflow preset such as {@code @daily}), or null
 */
public record PipelineConfig(
        String name,
        String source,
        String table,
        String target,
        List<String> key,
        String stage,
        String dag,
        String schedule) {

    public PipelineConfig {
        key = key == null ? List.of() : List.copyOf(key);
    }

    /** The schema part of {@link #table()}. */
    public String sourceSchema() {
        return table.substring(0, table.indexOf('.'));
    }

    /** The table part of {@link #table()}. */
    public String sourceTable() {
        return table.substring(table.indexOf('.') + 1);
    }
}
