package io.lakeshift.camel.config;

import java.util.List;

/**
 * Settings of a {@code kind: jdbc} source, which polls its table ({@code tables: [schema.table]}) for
 * rows whose watermark column grew. The source's {@code username} and {@code password} log in.
 *
 * @param url JDBC URL; default: PostgreSQL at the source's {@code host}, {@code port} and {@code database}
 * @param watermarkColumn a column that grows with every insert or update: an {@code updated_at}
 *     timestamp or an increasing id (required)
 * @param key key columns, which also order rows with the same watermark (default: the table's primary key)
 * @param batchSize rows per query and per Kafka batch (default 1000)
 * @param pollIntervalMs pause between polls once the table is caught up (default 5000)
 * @param initialWatermark start after this watermark value on the first run (default: read everything)
 * @param sourceSchema the polled table's schema exactly as the database names it, when it differs from
 *     the schema in {@code tables} (which names the topic and the lake table); default: that schema, as
 *     written or as the database folds unquoted names
 * @param sourceTable the polled table's name exactly as the database names it (default: as for the schema)
 */
public record JdbcSettings(
        String url,
        String watermarkColumn,
        List<String> key,
        Integer batchSize,
        Long pollIntervalMs,
        String initialWatermark,
        String sourceSchema,
        String sourceTable) {

    public JdbcSettings {
        key = key == null ? List.of() : List.copyOf(key);
        batchSize = batchSize == null ? 1000 : batchSize;
        pollIntervalMs = pollIntervalMs == null ? 5000L : pollIntervalMs;
    }
}
