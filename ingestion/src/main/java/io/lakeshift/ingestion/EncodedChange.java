package io.lakeshift.ingestion;

import io.lakeshift.core.envelope.Column;
import java.util.List;

/**
 * One change, encoded for Kafka: the envelope's key and value as JSON bytes, with what the source
 * needs to know about it without parsing them again.
 *
 * @param topic the change topic
 * @param key the key columns as a JSON object
 * @param value the envelope as a JSON object
 * @param position where the change sits in the source
 * @param columns the columns of the row images; the same list instance for every change of one
 *     table version, so a schema change shows as a different instance
 */
record EncodedChange(String topic, byte[] key, byte[] value, SourcePosition position, List<Column> columns) {
}
