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
 */
public record JdbcSettings(
        String url,
        String watermarkColumn,
        List<String> key,
        Integer batchSize,
        Long pollIntervalMs,
        String initialWatermark) {

    public JdbcSettings {
        key = key == null ? List.of() : List.copyOf(key);
        batchSize = batchSize == null ? 1000 : batchSize;
        pollIntervalMs = pollIntervalMs == null ? 5000L : pollIntervalMs;
    }
}
