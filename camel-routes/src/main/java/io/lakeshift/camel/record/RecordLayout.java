package io.lakeshift.camel.record;

import io.lakeshift.core.envelope.Op;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

/**
 * How to read the records of one source and what they must hold: the validated form of a source's
 * record settings.
 *
 * @param format how the text is split into records and fields
 * @param charset the text's encoding
 * @param header CSV: the first record names the fields
 * @param delimiter CSV: field separator
 * @param quote CSV: quote character, {@code 0} for none
 * @param nullMarker CSV: an unquoted field equal to this is null
 * @param columns declared columns in input order (the operation column among them, if declared); empty
 *     for a CSV whose header declares them
 * @param key key columns; empty means the whole row is the key
 * @param operationColumn field holding the operation code, or null when every record is an insert
 * @param operationCodes operation code in the input to envelope operation
 * @param maxRecordChars longest accepted record; longer ones are dead-lettered, truncated
 */
public record RecordLayout(
        RecordFormat format,
        Charset charset,
        boolean header,
        char delimiter,
        char quote,
        String nullMarker,
        List<ColumnSpec> columns,
        List<String> key,
        String operationColumn,
        Map<String, Op> operationCodes,
        int maxRecordChars) {

    public RecordLayout {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        operationCodes = Map.copyOf(operationCodes);
    }

    public boolean hasOperationColumn() {
        return operationColumn != null;
    }
}
