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
 * @param stage the migration stage: BATCH, SHADOW, INCREMENTAL or STREAMING; STREAMING when left out
 * @param dag the Airflow DAG of the legacy batch job that writes the target, or null
 * @param schedule the batch job's cron schedule (or an Airflow preset such as {@code @daily}), or null
 * @param writeMode how the streaming job writes updates and deletes: {@code merge-on-read} (delete
 *     files, cheap commits) or {@code copy-on-write} (rewritten data files, cheaper reads); null
 *     for the default, {@link #DEFAULT_WRITE_MODE}
 * @param partitionBy Iceberg partition transforms of the target, e.g. {@code days(order_date)},
 *     {@code bucket(16, customer_id)}, {@code region}
 * @param sortBy sort order of the target's data files, column names
 * @param transform optional Spark SQL applied to each batch of typed changes before they are merged
 *     into the target (the changelog keeps the events as they came), reading the view
 *     {@code changes}; it must keep the key columns and the bookkeeping columns {@code _ls_op},
 *     {@code _ls_seq_hi}, {@code _ls_seq_lo}, {@code _ls_source_ts} ({@code SELECT *, ...} keeps
 *     them), may return only the table's columns, and a table column it leaves out is not updated
 *     (null on insert). A transform that fails or breaks these rules stops the pipeline before
 *     anything of the batch is written.
 */
public record PipelineConfig(
        String name,
        String source,
        String table,
        String target,
        List<String> key,
        String stage,
        String dag,
        String schedule,
        String writeMode,
        List<String> partitionBy,
        List<String> sortBy,
        String transform) {

    public static final String MERGE_ON_READ = "merge-on-read";
    public static final String COPY_ON_WRITE = "copy-on-write";
    public static final String DEFAULT_WRITE_MODE = MERGE_ON_READ;
    /** The stage of a pipeline that declares none: its source streams into the lake. */
    public static final String DEFAULT_STAGE = "STREAMING";

    public PipelineConfig {
        key = key == null ? List.of() : List.copyOf(key);
        stage = stage == null || stage.isBlank() ? DEFAULT_STAGE : stage;
        writeMode = writeMode == null || writeMode.isBlank() ? DEFAULT_WRITE_MODE : writeMode;
        partitionBy = partitionBy == null ? List.of() : List.copyOf(partitionBy);
        sortBy = sortBy == null ? List.of() : List.copyOf(sortBy);
    }

    /** The same pipeline writing into another lake table. */
    public PipelineConfig withTarget(String newTarget) {
        return new PipelineConfig(name, source, table, newTarget, key, stage, dag, schedule, writeMode, partitionBy, sortBy,
                transform);
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
