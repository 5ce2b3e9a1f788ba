package io.lakeshift.camel.kafka;

import io.lakeshift.camel.record.RecordReader;
import io.lakeshift.camel.record.RecordSchema;
import io.lakeshift.camel.record.RejectedRecordException;
import io.lakeshift.core.envelope.Op;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;

/**
 * Turns the current record of a {@link RecordReader} into its Kafka message: a change event when it
 * fits the schema, a dead letter (with the reason, origin and raw text) when it does not. Counts both,
 * so that records read = events + dead letters. One instance per input, not thread-safe.
 */
public final class RecordMessages {

    private final RecordSchema schema;
    private final EnvelopeWriter writer;
    private final OutboundMessages messages;
    private final Object[] values;
    private long events;
    private long deadLetters;
    private String lastPosition;

    public RecordMessages(CamelContext context, SourceTable table, RecordSchema schema) {
        this.schema = schema;
        this.writer = new EnvelopeWriter(table, schema.envelopeColumns(), schema.keyIndexes());
        this.messages = new OutboundMessages(context, table);
        this.values = new Object[schema.columns().size()];
    }

    /**
     * The message for the reader's current record.
     *
     * @param position where the record is, for people and dead letters ({@code orders.csv:42})
     * @param seqHigh first element of the record's {@code source.seq}
     * @param seqLow second element
     * @param sourceTsMs when the source wrote the record
     */
    public Message next(RecordReader reader, String position, long seqHigh, long seqLow, long sourceTsMs) {
        String malformed = reader.malformed();
        if (malformed != null) {
            deadLetters++;
            return messages.deadLetter(reader.raw(), malformed, position);
        }
        Op op;
        try {
            op = schema.convert(reader.values(), values);
        } catch (RejectedRecordException e) {
            deadLetters++;
            return messages.deadLetter(reader.raw(), e.getMessage(), position);
        }
        events++;
        lastPosition = position;
        return messages.event(writer.key(values), writer.value(op, values, position, seqHigh, seqLow, sourceTsMs,
                System.currentTimeMillis()));
    }

    public long events() {
        return events;
    }

    public long deadLetters() {
        return deadLetters;
    }

    /** Position of the newest event, or null. */
    public String lastPosition() {
        return lastPosition;
    }
}
