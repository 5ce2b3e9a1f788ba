package io.lakeshift.camel.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * Parses the text of one column into the value the envelope carries for its {@link LogicalType}:
 * integers and floats as JSON numbers, decimals as plain strings with the declared scale, temporal
 * values as ISO-8601 strings (timestamps with microseconds, zoned ones normalised to UTC), binary as
 * base64, json as its text. A value that does not fit is rejected with a reason naming the column.
 */
public final class ValueParsers {

    /** Parses one non-null text value of a column. */
    @FunctionalInterface
    public interface ValueParser {
        Object parse(String text) throws RejectedRecordException;
    }

    public static final DateTimeFormatter LOCAL_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    public static final DateTimeFormatter UTC_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    public static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private static final ObjectMapper JSON = Json.mapper();

    private ValueParsers() {
    }

    /** The parser of a column; fails when the column's {@code format} is not a valid pattern. */
    public static ValueParser of(ColumnSpec column) {
        String name = column.name();
        LogicalType type = column.type();
        DateTimeFormatter pattern = column.format() == null ? null : DateTimeFormatter.ofPattern(column.format(), Locale.ROOT);
        return switch (type.kind()) {
            case BOOLEAN -> text -> parseBoolean(name, text);
            case INT16 -> text -> {
                long v = parseLong(name, type, text);
                if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                    throw rejected(name, type, text, "out of range");
                }
                return (int) v;
            };
            case INT32 -> text -> {
                long v = parseLong(name, type, text);
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw rejected(name, type, text, "out of range");
                }
                return (int) v;
            };
            case INT64 -> text -> parseLong(name, type, text);
            case FLOAT32 -> text -> {
                float v = (float) parseDouble(name, type, text);
                if (!Float.isFinite(v)) {
                    throw rejected(name, type, text, "out of range");
                }
                return v;
            };
            case FLOAT64 -> text -> parseDouble(name, type, text);
            case DECIMAL -> text -> {
                String fast = type.precision() > 0 ? IsoText.decimal(text, type.precision(), type.scale()) : null;
                return fast != null ? fast : parseDecimal(name, type, text);
            };
            case STRING -> stringParser(name, column.maxLength());
            case JSON -> text -> {
                try {
                    JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw rejected(name, type, text, "not valid JSON");
                }
                return text;
            };
            case UUID -> text -> {
                try {
                    return UUID.fromString(text.trim()).toString();
                } catch (IllegalArgumentException e) {
                    throw rejected(name, type, text, null);
                }
            };
            case BINARY -> text -> {
                try {
                    return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(text.trim()));
                } catch (IllegalArgumentException e) {
                    throw rejected(name, type, text, "not base64");
                }
            };
            case DATE -> text -> {
                String fast = pattern == null ? IsoText.date(text) : null;
                if (fast != null) {
                    return fast;
                }
                try {
                    return (pattern == null ? LocalDate.parse(text.trim()) : LocalDate.parse(text.trim(), pattern)).toString();
                } catch (DateTimeParseException e) {
                    throw rejected(name, type, text, expected(column));
                }
            };
            case TIME -> text -> {
                String fast = pattern == null ? IsoText.time(text, 0) : null;
                if (fast != null) {
                    return fast;
                }
                try {
                    LocalTime t = pattern == null ? LocalTime.parse(text.trim()) : LocalTime.parse(text.trim(), pattern);
                    return LOCAL_TIME.format(t);
                } catch (DateTimeParseException e) {
                    throw rejected(name, type, text, expected(column));
                }
            };
            case TIMESTAMP -> text -> {
                String fast = pattern == null ? IsoText.localTimestamp(text) : null;
                if (fast != null) {
                    return fast;
                }
                try {
                    LocalDateTime t = pattern == null ? LocalDateTime.parse(isoDateTime(text)) : LocalDateTime.parse(text.trim(), pattern);
                    return LOCAL_TIMESTAMP.format(t);
                } catch (DateTimeParseException e) {
                    throw rejected(name, type, text, expected(column));
                }
            };
            case TIMESTAMPTZ -> text -> {
                try {
                    OffsetDateTime t = pattern == null
                            ? OffsetDateTime.parse(isoDateTime(text))
                            : ZonedDateTime.parse(text.trim(), pattern).toOffsetDateTime();
                    return UTC_TIMESTAMP.format(t.withOffsetSameInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException e) {
                    throw rejected(name, type, text, expected(column) + " with a zone offset");
                }
            };
        };
    }

    private static ValueParser stringParser(String name, int maxLength) {
        if (maxLength <= 0) {
            return text -> text;
        }
        return text -> {
            if (text.length() > maxLength && text.codePointCount(0, text.length()) > maxLength) {
                throw new RejectedRecordException("column '" + name + "': " + text.codePointCount(0, text.length())
                        + " characters, longer than maxLength " + maxLength);
            }
            return text;
        };
    }

    private static Boolean parseBoolean(String name, String text) throws RejectedRecordException {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> {
                return Boolean.TRUE;
            }
            case "false", "f", "no", "n", "0" -> {
                return Boolean.FALSE;
            }
            default -> throw rejected(name, LogicalType.BOOLEAN, text, "expected true/false, yes/no, y/n, t/f or 1/0");
        }
    }

    private static long parseLong(String name, LogicalType type, String text) throws RejectedRecordException {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw rejected(name, type, text, null);
        }
    }

    private static double parseDouble(String name, LogicalType type, String text) throws RejectedRecordException {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw rejected(name, type, text, null);
        }
        if (!Double.isFinite(v)) {
            throw rejected(name, type, text, "not a finite number");
        }
        return v;
    }

    private static String parseDecimal(String name, LogicalType type, String text) throws RejectedRecordException {
        BigDecimal v;
        try {
            v = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw rejected(name, type, text, null);
        }
        if (type.precision() == 0) {
            return v.toPlainString();
        }
        try {
            v = v.setScale(type.scale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw rejected(name, type, text, "more than " + type.scale() + " decimal places");
        }
        if (v.precision() - v.scale() > type.precision() - type.scale()) {
            throw rejected(name, type, text, "more than " + (type.precision() - type.scale()) + " digits before the decimal point");
        }
        return v.toPlainString();
    }

    /** ISO-8601 date-time, also with a space between date and time as databases print it. */
    private static String isoDateTime(String text) {
        String t = text.trim();
        return t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
    }

    private static String expected(ColumnSpec column) {
        return column.format() == null ? "expected ISO-8601" : "expected format " + column.format();
    }

    private static RejectedRecordException rejected(String name, LogicalType type, String text, String why) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return new RejectedRecordException("column '" + name + "': '" + shown + "' is not a valid " + type.jsonName()
                + (why == null ? "" : " (" + why + ")"));
    }
}
