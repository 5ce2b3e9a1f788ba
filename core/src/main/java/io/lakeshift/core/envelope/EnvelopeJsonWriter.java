package io.lakeshift.core.envelope;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one writer of the change envelope's JSON (key and value), as {@link ChangeEventCodec#decode}
 * and the apply job read it: {@code {"op":..,"before":..,"after":..,"source":{..},"ts_ms":..,"columns":[..]}}.
 *
 * <p>Sources call it once per record, so it writes with one Jackson {@link JsonGenerator} for its
 * whole life into one reused buffer (creating a generator per record costs more than the record),
 * and takes what never changes for a table (the source's names, the column declarations) encoded
 * once: see {@link #sourceFields} and {@link #columns}. The caller writes row images field by field
 * with the generator, straight from its own representation.
 *
 * <p>Not thread-safe: one writer per source or thread.
 */
public final class EnvelopeJsonWriter {

    /** Writes the fields of a row image or key, between the braces the envelope writer adds. */
    @FunctionalInterface
    public interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * The varying part of a record's {@code source} block.
     *
     * @param constantFields {@link #sourceFields} of the table
     * @param position the source position for people, or null
     */
    public record Source(SerializedString constantFields, String position, long seqHigh, long seqLow, boolean snapshot,
            long tsMs) {
    }

    private static final ObjectMapper MAPPER = Json.exactNumbers();
    private static final SerializedString OP = new SerializedString("op");
    private static final SerializedString BEFORE = new SerializedString("before");
    private static final SerializedString AFTER = new SerializedString("after");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString TS_MS = new SerializedString("ts_ms");
    private static final SerializedString COLUMNS = new SerializedString("columns");
    private static final SerializedString POSITION = new SerializedString("position");
    private static final SerializedString SEQ = new SerializedString("seq");
    private static final SerializedString SNAPSHOT = new SerializedString("snapshot");

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
    private JsonGenerator generator;

    /**
     * The fields of a {@code source} block that are the same for every record of a table, encoded
     * once; a null database or schema is left out.
     */
    public static SerializedString sourceFields(String system, String name, String database, String schema, String table) {
        StringBuilder sb = new StringBuilder();
        sb.append("\"system\":").append(quote(system));
        if (name != null) {
            sb.append(",\"name\":").append(quote(name));
        }
        if (database != null) {
            sb.append(",\"database\":").append(quote(database));
        }
        if (schema != null) {
            sb.append(",\"schema\":").append(quote(schema));
        }
        // the trailing comma: the generator sees the fields after these as the object's first and adds none
        sb.append(",\"table\":").append(quote(table)).append(',');
        return new SerializedString(sb.toString());
    }

    /** A table's column declarations, encoded once. */
    public static SerializedString columns(List<Column> columns) {
        return new SerializedString(json(columns));
    }

    /** The Kafka key: a JSON object of the fields {@code key} writes. */
    public byte[] key(Fields key) {
        try {
            JsonGenerator g = generator();
            object(g, key);
            return take(g);
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    /**
     * The Kafka value.
     *
     * @param before the row before the change, or null
     * @param after the row after the change, or null
     * @param tsMs when the event was produced
     * @param columns {@link #columns} of the row
     */
    public byte[] value(Op op, Fields before, Fields after, Source source, long tsMs, SerializedString columns) {
        try {
            JsonGenerator g = generator();
            g.writeStartObject();
            g.writeFieldName(OP);
            g.writeString(op.code());
            g.writeFieldName(BEFORE);
            object(g, before);
            g.writeFieldName(AFTER);
            object(g, after);
            g.writeFieldName(SOURCE);
            source(g, source);
            g.writeFieldName(TS_MS);
            g.writeNumber(tsMs);
            g.writeFieldName(COLUMNS);
            g.writeRawValue(columns);
            g.writeEndObject();
            return take(g);
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    private static void object(JsonGenerator g, Fields fields) throws IOException {
        if (fields == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        fields.write(g);
        g.writeEndObject();
    }

    private static void source(JsonGenerator g, Source s) throws IOException {
        g.writeStartObject();
        g.writeRaw(s.constantFields());
        if (s.position() != null) {
            g.writeFieldName(POSITION);
            g.writeString(s.position());
        }
        g.writeFieldName(SEQ);
        g.writeStartArray();
        g.writeNumber(s.seqHigh());
        g.writeNumber(s.seqLow());
        g.writeEndArray();
        g.writeFieldName(SNAPSHOT);
        g.writeBoolean(s.snapshot());
        g.writeFieldName(TS_MS);
        g.writeNumber(s.tsMs());
        g.writeEndObject();
    }

    private JsonGenerator generator() throws IOException {
        if (generator == null) {
            buffer.reset();
            generator = MAPPER.getFactory().createGenerator(buffer, JsonEncoding.UTF8)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)
                    .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            // root values back to back, one per record, with nothing between them
            generator.setRootValueSeparator(null);
        }
        return generator;
    }

    private byte[] take(JsonGenerator g) throws IOException {
        g.flush();
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        return bytes;
    }

    /** After a failure the generator may be inside an object: the next record starts with a new one. */
    private RuntimeException failed(Exception e) {
        generator = null;
        buffer.reset();
        return e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        return json(s);
    }
}
