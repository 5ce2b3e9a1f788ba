package io.lakeshift.camel.config;

import java.util.List;
import java.util.Map;

/**
 * Settings of a {@code kind: jms} source. The source's {@code username} and {@code password} log in
 * to the broker. Each message's text holds one or more records in {@code format}.
 *
 * @param brokerUrl ActiveMQ Artemis broker URL, {@code tcp://host:61616} (required)
 * @param queue queue name (required)
 * @param format {@code jsonl} (default: one JSON object per line), {@code csv} or {@code fixed-width}
 * @param header CSV: the message's first line names the columns (default false)
 * @param delimiter CSV: field separator (default {@code ,})
 * @param quote CSV: quote character (default {@code "})
 * @param nullMarker CSV: an unquoted field equal to this is null (default: the empty string)
 * @param columns declared columns (required unless a CSV header names them)
 * @param key key columns (default: the whole row)
 * @param operationColumn field holding the operation code; without it every record is an insert
 * @param operationCodes code in the message to c, u or d (default: c/u/d and I/U/D)
 * @param maxRecordChars longest accepted record in characters (default 1048576)
 * @param concurrentConsumers parallel consumers (default 1, which keeps the queue's order)
 */
public record JmsSettings(
        String brokerUrl,
        String queue,
        String format,
        Boolean header,
        String delimiter,
        String quote,
        String nullMarker,
        List<ColumnSettings> columns,
        List<String> key,
        String operationColumn,
        Map<String, String> operationCodes,
        Integer maxRecordChars,
        Integer concurrentConsumers) {

    public JmsSettings {
        format = format == null ? "jsonl" : format;
        concurrentConsumers = concurrentConsumers == null ? 1 : concurrentConsumers;
    }

    RecordSettings records() {
        return new RecordSettings(format, "UTF-8", header != null && header, delimiter, quote, nullMarker, columns, key,
                operationColumn, operationCodes, maxRecordChars);
    }
}
