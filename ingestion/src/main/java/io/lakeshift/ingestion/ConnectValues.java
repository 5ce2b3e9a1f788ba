package io.lakeshift.ingestion;

import io.lakeshift.core.envelope.LogicalType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Converts Kafka Connect values, as Debezium's PostgreSQL and MySQL connectors produce them, into
 * the envelope's JSON-ready values, and Connect schemas into {@link LogicalType}s. See
 * {@link LogicalType} for the written forms.
 *
 * <p>{@link ValueKind} classifies a field's schema once; the converter then writes each value by
 * its kind without looking at the schema again.
 */
final class ConnectValues {

    private static final String DBZ_TIME = "io.debezium.time.";
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long MIN_EPOCH_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long MAX_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    /** How a value of one Connect schema is written. */
    enum ValueKind {
        BOOLEAN, INT, FLOAT32, FLOAT64, STRING, DECIMAL, VARIABLE_DECIMAL, EPOCH_DAY, CONNECT_DATE,
        MILLI_TIME, MICRO_TIME, NANO_TIME, CONNECT_TIME, MILLI_TIMESTAMP, MICRO_TIMESTAMP, NANO_TIMESTAMP,
        CONNECT_TIMESTAMP, ZONED_TIMESTAMP, ZONED_TIME, BITS, BYTES, NESTED
    }

    /** The schema parameter Debezium puts the column's database type name in ({@code column.propagate.source.type}). */
    static final String SOURCE_TYPE = "__debezium.source.column.type";
    /** PostgreSQL's money, as {@code SourceTypeMapping} maps it: a 64-bit count of cents. */
    static final LogicalType MONEY = LogicalType.decimal(19, 2);

    private ConnectValues() {
    }

    static ValueKind kindOf(Schema schema) {
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case Decimal.LOGICAL_NAME -> {
                    return ValueKind.DECIMAL;
                }
                case "io.debezium.data.VariableScaleDecimal" -> {
                    return ValueKind.VARIABLE_DECIMAL;
                }
                case DBZ_TIME + "Date" -> {
                    return ValueKind.EPOCH_DAY;
                }
                case org.apache.kafka.connect.data.Date.LOGICAL_NAME -> {
                    return ValueKind.CONNECT_DATE;
                }
                case DBZ_TIME + "Time" -> {
                    return ValueKind.MILLI_TIME;
                }
                case DBZ_TIME + "MicroTime" -> {
                    return ValueKind.MICRO_TIME;
                }
                case DBZ_TIME + "NanoTime" -> {
                    return ValueKind.NANO_TIME;
                }
                case org.apache.kafka.connect.data.Time.LOGICAL_NAME -> {
                    return ValueKind.CONNECT_TIME;
                }
                case DBZ_TIME + "Timestamp" -> {
                    return ValueKind.MILLI_TIMESTAMP;
                }
                case DBZ_TIME + "MicroTimestamp" -> {
                    return ValueKind.MICRO_TIMESTAMP;
                }
                case DBZ_TIME + "NanoTimestamp" -> {
                    return ValueKind.NANO_TIMESTAMP;
                }
                case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME -> {
                    return ValueKind.CONNECT_TIMESTAMP;
                }
                case DBZ_TIME + "ZonedTimestamp" -> {
                    return ValueKind.ZONED_TIMESTAMP;
                }
                case DBZ_TIME + "ZonedTime" -> {
                    return ValueKind.ZONED_TIME;
                }
                case "io.debezium.data.Bits" -> {
                    return ValueKind.BITS;
                }
                default -> {
                    // Json, Uuid, Enum, EnumSet, Xml, Interval, Year: by their Connect type below.
                }
            }
        }
        return switch (schema.type()) {
            case BOOLEAN -> ValueKind.BOOLEAN;
            case INT8, INT16, INT32, INT64 -> ValueKind.INT;
            case FLOAT32 -> ValueKind.FLOAT32;
            case FLOAT64 -> ValueKind.FLOAT64;
            case BYTES -> ValueKind.BYTES;
            case ARRAY, MAP, STRUCT -> ValueKind.NESTED;
            default -> ValueKind.STRING;
        };
    }

    static LogicalType typeOf(Schema schema) {
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case Decimal.LOGICAL_NAME -> {
                    Map<String, String> p = schema.parameters();
                    int scale = Integer.parseInt(p.getOrDefault(Decimal.SCALE_FIELD, "0"));
                    if ("money".equalsIgnoreCase(p.get(SOURCE_TYPE))) {
                        return MONEY;
                    }
                    int precision = Integer.parseInt(p.getOrDefault("connect.decimal.precision", "0"));
                    return LogicalType.decimal(precision, scale);
                }
                case "io.debezium.data.Json" -> {
                    return LogicalType.JSON;
                }
                case "io.debezium.data.Uuid" -> {
                    return LogicalType.UUID;
                }
                default -> {
                    // by kind below
                }
            }
        }
        return switch (kindOf(schema)) {
            case VARIABLE_DECIMAL -> LogicalType.decimal(0, 0);
            case EPOCH_DAY, CONNECT_DATE -> LogicalType.DATE;
            case MILLI_TIME, MICRO_TIME, NANO_TIME, CONNECT_TIME -> LogicalType.TIME;
            case MILLI_TIMESTAMP, MICRO_TIMESTAMP, NANO_TIMESTAMP, CONNECT_TIMESTAMP -> LogicalType.TIMESTAMP;
            case ZONED_TIMESTAMP -> LogicalType.TIMESTAMPTZ;
            // A time with an offset (PostgreSQL's timetz) has no Iceberg type: ISO-8601 text with its offset.
            case ZONED_TIME, BITS -> LogicalType.STRING;
            case BOOLEAN -> LogicalType.BOOLEAN;
            case INT -> switch (schema.type()) {
                case INT8, INT16 -> LogicalType.INT16;
                case INT32 -> LogicalType.INT32;
                default -> LogicalType.INT64;
            };
            case FLOAT32 -> LogicalType.FLOAT32;
            case FLOAT64 -> LogicalType.FLOAT64;
            case BYTES -> LogicalType.BINARY;
            case NESTED -> LogicalType.JSON;
            default -> LogicalType.STRING;
        };
    }

    /**
     * The JSON-ready form of a value of a kind whose written form is a string (temporal, decimal),
     * or the value itself for the others; nested values become lists and maps.
     */
    static Object valueOf(Schema schema, Object value) {
        return value == null ? null : valueOf(kindOf(schema), schema, value);
    }

    static Object valueOf(ValueKind kind, Schema schema, Object value) {
        return switch (kind) {
            case DECIMAL -> ((BigDecimal) value).toPlainString();
            case VARIABLE_DECIMAL -> {
                Struct s = (Struct) value;
                yield new BigDecimal(new BigInteger(bytes(s.get("value"))), s.getInt32("scale")).toPlainString();
            }
            case EPOCH_DAY -> date(((Number) value).longValue());
            case CONNECT_DATE -> date(Math.floorDiv(((java.util.Date) value).getTime(), 86_400_000L));
            case MILLI_TIME -> time(((Number) value).longValue() * 1_000L);
            case MICRO_TIME -> time(((Number) value).longValue());
            case NANO_TIME -> time(Math.floorDiv(((Number) value).longValue(), 1_000L));
            case CONNECT_TIME -> time(((java.util.Date) value).getTime() * 1_000L);
            case MILLI_TIMESTAMP -> timestamp(Math.multiplyExact(((Number) value).longValue(), 1_000L));
            case MICRO_TIMESTAMP -> timestamp(((Number) value).longValue());
            case NANO_TIMESTAMP -> timestamp(Math.floorDiv(((Number) value).longValue(), 1_000L));
            case CONNECT_TIMESTAMP -> timestamp(Math.multiplyExact(((java.util.Date) value).getTime(), 1_000L));
            case ZONED_TIMESTAMP -> zonedTimestamp((String) value);
            case ZONED_TIME -> zonedTime((String) value);
            case BITS -> bits(bytes(value), bitLength(schema));
            case BYTES -> java.util.Base64.getEncoder().encodeToString(bytes(value));
            case NESTED -> nested(schema, value);
            default -> value;
        };
    }

    private static Object nested(Schema schema, Object value) {
        return switch (schema.type()) {
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    out.add(valueOf(schema.valueSchema(), element));
                }
                yield out;
            }
            case MAP -> {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), valueOf(schema.valueSchema(), v)));
                yield out;
            }
            default -> row((Struct) value);
        };
    }

    /** A row image: column name to converted value, in column order. */
    static Map<String, Object> row(Struct struct) {
        if (struct == null) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Field field : struct.schema().fields()) {
            row.put(field.name(), valueOf(field.schema(), struct.get(field)));
        }
        return row;
    }

    /**
     * A time of day, {@code HH:mm:ss.SSSSSS}. MySQL's TIME is a duration (-838:59:59 to
     * 838:59:59): values outside one day keep their sign and hours rather than being wrapped.
     */
    static String time(long micros) {
        StringBuilder sb = new StringBuilder(16);
        long m = micros;
        if (m < 0) {
            sb.append('-');
            m = -m;
        }
        long hours = m / 3_600_000_000L;
        if (hours < 10) {
            sb.append('0');
        }
        sb.append(hours).append(':');
        two(sb, (int) (m / 60_000_000L % 60)).append(':');
        two(sb, (int) (m / 1_000_000L % 60)).append('.');
        return six(sb, (int) (m % 1_000_000L)).toString();
    }

    /** A date, {@code uuuu-MM-dd}. */
    static String date(long epochDay) {
        if (epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
            throw new IllegalArgumentException("date " + epochDay + " days from 1970-01-01 is outside years 0001-9999"
                    + " (PostgreSQL's 'infinity'?): the envelope cannot represent it");
        }
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    /**
     * A timestamp without zone from epoch micros: {@code uuuu-MM-ddTHH:mm:ss.SSSSSS}, years 0001 to
     * 9999 (what ISO-8601 readers and Iceberg's engines accept).
     */
    static String timestamp(long epochMicros) {
        long days = Math.floorDiv(epochMicros, MICROS_PER_DAY);
        long microOfDay = Math.floorMod(epochMicros, MICROS_PER_DAY);
        if (days < MIN_EPOCH_DAY || days > MAX_EPOCH_DAY) {
            throw new IllegalArgumentException("timestamp " + epochMicros + " us from 1970-01-01 is outside years 0001-9999"
                    + " (PostgreSQL's 'infinity'?): the envelope cannot represent it");
        }
        LocalDate date = LocalDate.ofEpochDay(days);
        StringBuilder sb = new StringBuilder(26);
        four(sb, date.getYear()).append('-');
        two(sb, date.getMonthValue()).append('-');
        two(sb, date.getDayOfMonth()).append('T');
        two(sb, (int) (microOfDay / 3_600_000_000L)).append(':');
        two(sb, (int) (microOfDay / 60_000_000L % 60)).append(':');
        two(sb, (int) (microOfDay / 1_000_000L % 60)).append('.');
        return six(sb, (int) (microOfDay % 1_000_000L)).toString();
    }

    /**
     * A timestamp with zone, normalised to UTC with six fractional digits. Debezium already
     * writes UTC ({@code ...Z}); the common full-precision form is passed through unparsed.
     */
    static String zonedTimestamp(String value) {
        if (value.length() == 27 && value.charAt(26) == 'Z' && value.charAt(19) == '.' && value.charAt(10) == 'T') {
            return value;
        }
        OffsetDateTime utc = OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
        long micros = Math.addExact(Math.multiplyExact(utc.toEpochSecond(), 1_000_000L), utc.getNano() / 1_000L);
        return timestamp(micros) + 'Z';
    }

    /**
     * A time of day with its offset, {@code HH:mm:ss.SSSSSS} and the offset ({@code Z} for UTC, as
     * Debezium normalises PostgreSQL's timetz): the same six fractional digits as a time without zone.
     */
    static String zonedTime(String value) {
        OffsetTime t = OffsetTime.parse(value);
        return time(t.toLocalTime().toNanoOfDay() / 1_000L) + t.getOffset().getId();
    }

    /**
     * A bit string as its {@code '0'}/{@code '1'} text, most significant bit first, as the database
     * prints it. Debezium sends the bits little-endian (byte 0 holds bits 0 to 7) and the declared
     * length as the schema's {@code length} parameter; a shorter value of a varying bit string
     * cannot be told from one with leading zeros, so it is written at the declared length.
     */
    static String bits(byte[] bytes, int length) {
        int n = length > 0 ? length : bytes.length * 8;
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            int b = i / 8 < bytes.length ? bytes[i / 8] >> (i % 8) & 1 : 0;
            out[n - 1 - i] = b == 1 ? '1' : '0';
        }
        return new String(out);
    }

    private static int bitLength(Schema schema) {
        String length = schema.parameters() == null ? null : schema.parameters().get("length");
        try {
            return length == null ? 0 : Integer.parseInt(length);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                    && buffer.remaining() == buffer.array().length) {
                return buffer.array();
            }
            ByteBuffer copy = buffer.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return out;
        }
        return (byte[]) value;
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static StringBuilder four(StringBuilder sb, int v) {
        return two(two(sb, v / 100), v % 100);
    }

    private static StringBuilder six(StringBuilder sb, int v) {
        return two(two(two(sb, v / 10_000), v / 100 % 100), v % 100);
    }
}
