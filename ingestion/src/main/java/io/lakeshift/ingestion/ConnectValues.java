package io.lakeshift.ingestion;

import io.lakeshift.core.envelope.LogicalType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Converts Kafka Connect values, as Debezium produces them, into the envelope's JSON-ready values,
 * and Connect schemas into {@link LogicalType}s. See {@link LogicalType} for the written forms.
 */
final class ConnectValues {

    static final DateTimeFormatter LOCAL_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    static final DateTimeFormatter UTC_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private static final String DBZ_TIME = "io.debezium.time.";

    private ConnectValues() {
    }

    static LogicalType typeOf(Schema schema) {
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case Decimal.LOGICAL_NAME -> {
                    Map<String, String> p = schema.parameters();
                    int scale = Integer.parseInt(p.getOrDefault(Decimal.SCALE_FIELD, "0"));
                    int precision = Integer.parseInt(p.getOrDefault("connect.decimal.precision", "0"));
                    return LogicalType.decimal(precision, scale);
                }
                case "io.debezium.data.VariableScaleDecimal" -> {
                    return LogicalType.decimal(0, 0);
                }
                case DBZ_TIME + "Date", org.apache.kafka.connect.data.Date.LOGICAL_NAME -> {
                    return LogicalType.DATE;
                }
                case DBZ_TIME + "Time", DBZ_TIME + "MicroTime", DBZ_TIME + "NanoTime",
                        org.apache.kafka.connect.data.Time.LOGICAL_NAME -> {
                    return LogicalType.TIME;
                }
                case DBZ_TIME + "Timestamp", DBZ_TIME + "MicroTimestamp", DBZ_TIME + "NanoTimestamp",
                        org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME -> {
                    return LogicalType.TIMESTAMP;
                }
                case DBZ_TIME + "ZonedTimestamp" -> {
                    return LogicalType.TIMESTAMPTZ;
                }
                case "io.debezium.data.Json" -> {
                    return LogicalType.JSON;
                }
                case "io.debezium.data.Uuid" -> {
                    return LogicalType.UUID;
                }
                default -> {
                    // Enum, Xml, ZonedTime, Bits and the like keep their Connect type below.
                }
            }
        }
        return switch (schema.type()) {
            case BOOLEAN -> LogicalType.BOOLEAN;
            case INT8, INT16 -> LogicalType.INT16;
            case INT32 -> LogicalType.INT32;
            case INT64 -> LogicalType.INT64;
            case FLOAT32 -> LogicalType.FLOAT32;
            case FLOAT64 -> LogicalType.FLOAT64;
            case BYTES -> LogicalType.BINARY;
            case ARRAY, MAP, STRUCT -> LogicalType.JSON;
            default -> LogicalType.STRING;
        };
    }

    static Object valueOf(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case Decimal.LOGICAL_NAME -> {
                    return ((BigDecimal) value).toPlainString();
                }
                case "io.debezium.data.VariableScaleDecimal" -> {
                    Struct s = (Struct) value;
                    return new BigDecimal(new BigInteger(s.getBytes("value")), s.getInt32("scale")).toPlainString();
                }
                case DBZ_TIME + "Date" -> {
                    return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
                }
                case DBZ_TIME + "Time" -> {
                    return LOCAL_TIME.format(LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L));
                }
                case DBZ_TIME + "MicroTime" -> {
                    return LOCAL_TIME.format(LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L));
                }
                case DBZ_TIME + "NanoTime" -> {
                    return LOCAL_TIME.format(LocalTime.ofNanoOfDay(((Number) value).longValue()));
                }
                case DBZ_TIME + "Timestamp" -> {
                    return localTimestamp(((Number) value).longValue() * 1_000_000L);
                }
                case DBZ_TIME + "MicroTimestamp" -> {
                    return localTimestamp(Math.multiplyExact(((Number) value).longValue(), 1_000L));
                }
                case DBZ_TIME + "NanoTimestamp" -> {
                    return localTimestamp(((Number) value).longValue());
                }
                case DBZ_TIME + "ZonedTimestamp" -> {
                    return UTC_TIMESTAMP.format(OffsetDateTime.parse((String) value).withOffsetSameInstant(ZoneOffset.UTC));
                }
                case org.apache.kafka.connect.data.Date.LOGICAL_NAME -> {
                    return ((java.util.Date) value).toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
                }
                case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME -> {
                    return LOCAL_TIMESTAMP.format(LocalDateTime.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC));
                }
                case org.apache.kafka.connect.data.Time.LOGICAL_NAME -> {
                    return LOCAL_TIME.format(LocalTime.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC));
                }
                default -> {
                    // fall through to the Connect type
                }
            }
        }
        return switch (schema.type()) {
            case BYTES -> Base64.getEncoder().encodeToString(bytes(value));
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    out.add(valueOf(schema.valueSchema(), element));
                }
                yield out;
            }
            case STRUCT -> row((Struct) value);
            case MAP -> {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), valueOf(schema.valueSchema(), v)));
                yield out;
            }
            default -> value;
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

    private static String localTimestamp(long epochNanos) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
        return LOCAL_TIMESTAMP.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return out;
        }
        return (byte[]) value;
    }
}
