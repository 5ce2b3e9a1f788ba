package io.lakeshift.camel.config;

import java.util.List;
import java.util.Map;

/** The record-format part shared by file and queue sources, before validation. */
record RecordSettings(
        String format,
        String charset,
        boolean header,
        String delimiter,
        String quote,
        String nullMarker,
        List<ColumnSettings> columns,
        List<String> key,
        String operationColumn,
        Map<String, String> operationCodes,
        Integer maxRecordChars) {
}
