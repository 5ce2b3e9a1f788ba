package io.lakeshift.camel.jdbc;

import io.lakeshift.camel.record.ValueParsers;
import io.lakeshift.core.envelope.LogicalType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;

/**
 * JDBC column types to {@link LogicalType}s, and result-set values to envelope values (the same forms
 * as CDC writes: decimals as exact strings, timestamps ISO-8601 with microseconds, zoned ones in UTC).
 */
final class JdbcValues {

    private JdbcValues() {
    }

    static LogicalType typeOf(ResultSetMetaData meta, int column) throws SQLException {
        String name = meta.getColumnTypeName(column) == null ? "" : meta.getColumnTypeName(column).toLowerCase(Locale.ROOT);
        if (name.equals("uuid")) {
            return LogicalType.UUID;
        }
        if (name.equals("json") || name.equals("jsonb")) {
            return LogicalType.JSON;
        }
        return switch (meta.getColumnType(column)) {
            case Types.BIT, Types.BOOLEAN -> LogicalType.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT -> LogicalType.INT16;
            case Types.INTEGER -> LogicalType.INT32;
            case Types.BIGINT -> LogicalType.INT64;
            case Types.REAL -> LogicalType.FLOAT32;
            case Types.FLOAT, Types.DOUBLE -> LogicalType.FLOAT64;
            case Types.NUMERIC, Types.DECIMAL -> {
                int p = meta.getPrecision(column);
                int s = meta.getScale(column);
                yield p > 0 && p <= 38 && s >= 0 && s <= p ? LogicalType.decimal(p, s) : LogicalType.decimal(0, 0);
            }
            case Types.DATE -> LogicalType.DATE;
            case Types.TIME -> LogicalType.TIME;
            case Types.TIMESTAMP -> name.contains("tz") || name.contains("time zone") ? LogicalType.TIMESTAMPTZ : LogicalType.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> LogicalType.TIMESTAMPTZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> LogicalType.BINARY;
            default -> LogicalType.STRING;
        };
    }

    /**
     * The envelope value of a column of the current row, or null.
     *
     * @throws IllegalArgumentException when the value has no envelope form (a NaN, for example)
     */
    static Object read(ResultSet rs, int column, LogicalType type) throws SQLException {
        Object value = switch (type.kind()) {
            case BOOLEAN -> rs.getBoolean(column);
            case INT16, INT32 -> rs.getInt(column);
            case INT64 -> rs.getLong(column);
            case FLOAT32 -> {
                float f = rs.getFloat(column);
                if (!rs.wasNull() && !Float.isFinite(f)) {
                    throw new IllegalArgumentException("column " + rs.getMetaData().getColumnLabel(column) + " holds " + f);
                }
                yield f;
            }
            case FLOAT64 -> {
                double d = rs.getDouble(column);
                if (!rs.wasNull() && !Double.isFinite(d)) {
                    throw new IllegalArgumentException("column " + rs.getMetaData().getColumnLabel(column) + " holds " + d);
                }
                yield d;
            }
            case DECIMAL -> {
                BigDecimal d = rs.getBigDecimal(column);
                yield d == null ? null : d.toPlainString();
            }
            case DATE -> {
                LocalDate d = rs.getObject(column, LocalDate.class);
                yield d == null ? null : d.toString();
            }
            case TIME -> {
                LocalTime t = rs.getObject(column, LocalTime.class);
                yield t == null ? null : ValueParsers.LOCAL_TIME.format(t);
            }
            case TIMESTAMP -> {
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                yield t == null ? null : ValueParsers.LOCAL_TIMESTAMP.format(t);
            }
            case TIMESTAMPTZ -> {
                OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
                yield t == null ? null : ValueParsers.UTC_TIMESTAMP.format(t.withOffsetSameInstant(ZoneOffset.UTC));
            }
            case BINARY -> {
                byte[] b = rs.getBytes(column);
                yield b == null ? null : Base64.getEncoder().encodeToString(b);
            }
            default -> rs.getString(column);
        };
        return rs.wasNull() ? null : value;
    }

    /** An envelope value as a JDBC query parameter of its type. */
    static Object parameter(LogicalType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case INT16, INT32, INT64 -> value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
            case DECIMAL -> new BigDecimal(value.toString());
            case DATE -> LocalDate.parse(value.toString());
            case TIME -> LocalTime.parse(value.toString());
            case TIMESTAMP -> LocalDateTime.parse(value.toString());
            case TIMESTAMPTZ -> OffsetDateTime.parse(value.toString());
            case BOOLEAN -> value;
            case FLOAT32, FLOAT64 -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
            default -> value.toString();
        };
    }

    /** Whether a column can order changes: numbers, dates and timestamps. */
    static boolean orderable(LogicalType type) {
        return switch (type.kind()) {
            case INT16, INT32, INT64, DECIMAL, DATE, TIMESTAMP, TIMESTAMPTZ -> true;
            default -> false;
        };
    }

    /** A watermark value as the first element of {@code source.seq}: itself, epoch days or epoch microseconds. */
    static long sequenceOf(LogicalType type, Object value) {
        return switch (type.kind()) {
            case INT16, INT32, INT64 -> value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
            case DECIMAL -> {
                int scale = type.scale();
                yield new BigDecimal(value.toString()).setScale(scale, RoundingMode.DOWN).movePointRight(scale).longValue();
            }
            case DATE -> LocalDate.parse(value.toString()).toEpochDay();
            case TIMESTAMP -> ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0),
                    LocalDateTime.parse(value.toString()));
            case TIMESTAMPTZ -> ChronoUnit.MICROS.between(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                    OffsetDateTime.parse(value.toString()));
            default -> throw new IllegalArgumentException("a " + type + " column cannot be a watermark");
        };
    }
}
