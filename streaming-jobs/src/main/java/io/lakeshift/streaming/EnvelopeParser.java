package io.lakeshift.streaming;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshift.lakehouse.LogicalTypes;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;

/**
 * Reads a change envelope from a Kafka value in one streaming pass over its bytes, into the row
 * {@link EnvelopeSchema#of} describes: only the fields the apply job uses are converted, the rest
 * is skipped. A row image keeps the exact JSON text of each of the target's columns (a string's
 * content; a number's digits as written; an object or array as its JSON text), to be cast to the
 * column's type afterwards. {@code columns} is kept as its JSON text, and only where it differs
 * from the previous record's in the same task (null for a repeat): every distinct declaration of a
 * batch still appears, and the driver reads each once ({@link #declarations}), while the batch's
 * rows do not each carry a copy. This relies on the parser running once per record, in record
 * order, within a task, as a projection that later steps read from (the typed rows are cached).
 *
 * <p>A source column matches the target column of its name, or else of its lower-case name (tables
 * are created with lower-case column names). A value of a column the event declares as a decimal
 * without precision (PostgreSQL's bare numeric, stored as {@code decimal(38,10)}, see
 * {@link LogicalTypes}) with more fractional digits than that scale would be rounded by the cast
 * to the column's type: it is replaced by a text saying so, which no cast reads, so the record is
 * dead-lettered with that text in its reason instead of being rounded silently.
 *
 * <p>What cannot be read as the envelope's field types reads as null, as Spark's {@code from_json}
 * does: invalid JSON or a value that is not an object gives a null envelope; a field of the wrong
 * shape gives a null field. Null in, null out.
 */
final class EnvelopeParser implements UDF1<byte[], Row> {

    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** How the envelope declares a decimal without precision. */
    private static final String UNBOUNDED_DECIMAL = "decimal(0,0)";

    private final String[] columns;
    /** Whether an image's field matches a column whatever its case (the columns are lower case then). */
    private final boolean foldCase;
    private transient Map<String, Integer> index;
    /** The declarations text this task returned last: a repeat of it is returned as null. */
    private transient String lastDeclarations;
    /** The declarations text {@link #unbounded} was found for. */
    private transient String unboundedFor;
    /** Positions in {@link #columns} of the columns declared as decimals without precision. */
    private transient int[] unbounded;

    EnvelopeParser(List<String> columns) {
        this(columns, false);
    }

    EnvelopeParser(List<String> columns, boolean foldCase) {
        this.columns = columns.toArray(String[]::new);
        this.foldCase = foldCase;
    }

    @Override
    public Row call(byte[] value) {
        if (value == null) {
            return null;
        }
        if (index == null) {
            Map<String, Integer> positions = new HashMap<>();
            for (int i = 0; i < columns.length; i++) {
                positions.put(foldCase ? columns[i].toLowerCase(java.util.Locale.ROOT) : columns[i], i);
            }
            index = positions;
        }
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String op = null;
            Object[] before = null;
            Object[] after = null;
            Row source = null;
            String declarations = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "op" -> op = text(p, t, value);
                    case "before" -> before = image(p, t, value);
                    case "after" -> after = image(p, t, value);
                    case "source" -> source = source(p, t);
                    case "columns" -> declarations = t == JsonToken.START_ARRAY ? raw(p, value) : skip(p);
                    default -> p.skipChildren();
                }
            }
            if (declarations != null && declarations.contains(UNBOUNDED_DECIMAL)) {
                guardUnboundedDecimals(declarations, before);
                guardUnboundedDecimals(declarations, after);
            }
            if (declarations != null) {
                if (declarations.equals(lastDeclarations)) {
                    declarations = null;
                } else {
                    lastDeclarations = declarations;
                }
            }
            return RowFactory.create(op, row(before), row(after), source, declarations);
        } catch (IOException | RuntimeException e) {
            return null; // not JSON, or not an envelope: the row is dead-lettered as such
        }
    }

    /** A scalar's text, or an object's or array's JSON text; null for JSON null. */
    private static String text(JsonParser p, JsonToken t, byte[] value) throws IOException {
        return switch (t) {
            case VALUE_NULL -> null;
            case START_OBJECT, START_ARRAY -> raw(p, value);
            default -> p.getText();
        };
    }

    private static Row row(Object[] values) {
        return values == null ? null : RowFactory.create(values);
    }

    private Integer indexOf(String name) {
        Integer i = index.get(name);
        return i != null || !foldCase ? i : index.get(name.toLowerCase(Locale.ROOT));
    }

    /** Marks each value of an unbounded decimal column that the lake column's scale would round. */
    private void guardUnboundedDecimals(String declarations, Object[] image) {
        if (image == null) {
            return;
        }
        if (!declarations.equals(unboundedFor)) {
            List<Integer> found = new ArrayList<>();
            for (Map.Entry<String, String> d : declarations(declarations)) {
                Integer i = d.getKey() == null ? null : indexOf(d.getKey());
                if (i != null && d.getValue() != null && d.getValue().replace(" ", "").equals(UNBOUNDED_DECIMAL)) {
                    found.add(i);
                }
            }
            unbounded = found.stream().mapToInt(Integer::intValue).toArray();
            unboundedFor = declarations;
        }
        for (int i : unbounded) {
            if (image[i] instanceof String text && rounds(text)) {
                image[i] = text + " has more than " + LogicalTypes.UNBOUNDED_DECIMAL_SCALE
                        + " fractional digits: storing it would round it";
            }
        }
    }

    private static boolean rounds(String decimal) {
        try {
            return new BigDecimal(decimal).stripTrailingZeros().scale() > LogicalTypes.UNBOUNDED_DECIMAL_SCALE;
        } catch (NumberFormatException e) {
            return false; // not a number: the cast fails and says so
        }
    }

    private Object[] image(JsonParser p, JsonToken t, byte[] value) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Object[] values = new Object[columns.length];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            Integer i = indexOf(p.currentName());
            JsonToken v = p.nextToken();
            if (i == null) {
                p.skipChildren();
            } else {
                values[i] = text(p, v, value);
            }
        }
        return values;
    }

    private static Row source(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        List<Long> seq = null;
        Boolean snapshot = null;
        Long tsMs = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "seq" -> seq = longs(p, v);
                case "snapshot" -> snapshot = v == JsonToken.VALUE_TRUE ? Boolean.TRUE : v == JsonToken.VALUE_FALSE ? Boolean.FALSE : skipNull(p);
                case "ts_ms" -> tsMs = v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        ? p.getLongValue() : skipNull(p);
                default -> p.skipChildren();
            }
        }
        return RowFactory.create(seq, snapshot, tsMs);
    }

    /** An array of longs, or null if it is not one (an element that is not a long makes the whole array null). */
    private static List<Long> longs(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<Long> out = new ArrayList<>(2);
        boolean ok = true;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                out.add(p.getLongValue());
            } else if (e == JsonToken.VALUE_NULL) {
                out.add(null);
            } else {
                ok = false;
                p.skipChildren();
            }
        }
        return ok ? out : null;
    }

    private static <T> T skipNull(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    private static String skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    /** The JSON text of the object or array that starts at the current token. */
    private static String raw(JsonParser p, byte[] value) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        return new String(value, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * The (name, type) pairs of a {@code columns} JSON text, in order; entries that are not objects
     * are skipped, a name or type that is missing or not a scalar reads as null.
     */
    static List<Map.Entry<String, String>> declarations(String json) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return out;
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                String name = null;
                String type = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    String s = v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : null;
                    p.skipChildren();
                    if ("name".equals(field)) {
                        name = s;
                    } else if ("type".equals(field)) {
                        type = s;
                    }
                }
                out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(name, type));
            }
        } catch (IOException e) {
            // a declaration that cannot be read cannot drive the schema
        }
        return out;
    }
}
