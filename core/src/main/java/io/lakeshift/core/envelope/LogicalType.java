package io.lakeshift.core.envelope;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a value in an event's row images, and how the value is written in JSON.
 *
 * <p>Values whose JSON number form could lose information are written as strings, so that no
 * reader rounds them through a double: decimals as plain decimal strings with their scale
 * ({@code "12.30"}), 64-bit integers as numbers (Jackson and Spark read them exactly), temporal
 * values in ISO-8601 ({@code "2024-05-01"}, {@code "10:15:30.123456"},
 * {@code "2024-05-01T10:15:30.123456"} without zone, {@code "2024-05-01T08:15:30.123456Z"} with
 * zone, normalised to UTC), binary as base64, json as its text.
 *
 * @param kind the family of the type
 * @param precision decimal precision, 0 when unknown or not a decimal
 * @param scale decimal scale, 0 when not a decimal
 */
public record LogicalType(Kind kind, int precision, int scale) {

    /** Type families; the JSON name of each is its lower-case name. */
    public enum Kind {
        BOOLEAN, INT16, INT32, INT64, FLOAT32, FLOAT64, DECIMAL,
        STRING, JSON, UUID, BINARY, DATE, TIME, TIMESTAMP, TIMESTAMPTZ
    }

    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

    public static final LogicalType BOOLEAN = of(Kind.BOOLEAN);
    public static final LogicalType INT16 = of(Kind.INT16);
    public static final LogicalType INT32 = of(Kind.INT32);
    public static final LogicalType INT64 = of(Kind.INT64);
    public static final LogicalType FLOAT32 = of(Kind.FLOAT32);
    public static final LogicalType FLOAT64 = of(Kind.FLOAT64);
    public static final LogicalType STRING = of(Kind.STRING);
    public static final LogicalType JSON = of(Kind.JSON);
    public static final LogicalType UUID = of(Kind.UUID);
    public static final LogicalType BINARY = of(Kind.BINARY);
    public static final LogicalType DATE = of(Kind.DATE);
    public static final LogicalType TIME = of(Kind.TIME);
    public static final LogicalType TIMESTAMP = of(Kind.TIMESTAMP);
    public static final LogicalType TIMESTAMPTZ = of(Kind.TIMESTAMPTZ);

    public LogicalType {
        if (kind == Kind.DECIMAL && (precision < 0 || scale < 0 || (precision > 0 && scale > precision))) {
            throw new IllegalArgumentException("invalid decimal(" + precision + "," + scale + ")");
        }
    }

    private static LogicalType of(Kind kind) {
        return new LogicalType(kind, 0, 0);
    }

    /** A decimal; precision 0 means the source declared none (PostgreSQL's bare numeric). */
    public static LogicalType decimal(int precision, int scale) {
        return new LogicalType(Kind.DECIMAL, precision, scale);
    }

    @JsonValue
    public String jsonName() {
        if (kind == Kind.DECIMAL) {
            return "decimal(" + precision + "," + scale + ")";
        }
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static LogicalType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DECIMAL.matcher(t);
        if (m.matches()) {
            return decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        try {
            Kind kind = Kind.valueOf(t.toUpperCase(Locale.ROOT));
            if (kind == Kind.DECIMAL) {
                throw new IllegalArgumentException("decimal needs precision and scale: decimal(p,s)");
            }
            return of(kind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown logical type '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return jsonName();
    }
}
