package io.lakeshift.camel.config;

/**
 * One declared column, as written under a source's {@code settings.columns}.
 *
 * @param name column name (CSV header name, JSON field name)
 * @param type logical type: boolean, int16, int32, int64, float32, float64, decimal(p,s), string, json,
 *     uuid, binary (base64), date, time, timestamp, timestamptz
 * @param required reject records where it is empty or absent (default false; key columns always are)
 * @param maxLength reject strings longer than this many characters
 * @param format a java.time pattern for date, time, timestamp and timestamptz columns
 *     ({@code dd.MM.yyyy HH:mm:ss}); default ISO-8601
 * @param offset fixed-width: 0-based position of the column's first character
 * @param length fixed-width: the column's width in characters
 */
public record ColumnSettings(String name, String type, Boolean required, Integer maxLength, String format,
        Integer offset, Integer length) {
}
