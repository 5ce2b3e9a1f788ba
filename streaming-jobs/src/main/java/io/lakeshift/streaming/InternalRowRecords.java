package io.lakeshift.streaming;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Turns Spark's internal rows into Iceberg generic records of a table schema, for Iceberg's own
 * file writers. Row field {@code i} holds the schema's column {@code i}, in Spark's internal form
 * for the Spark type Iceberg gives that column (strings as UTF-8, decimals as Spark decimals,
 * timestamps as microseconds, dates as days).
 */
final class InternalRowRecords implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

    private final Schema schema;

    InternalRowRecords(Schema schema) {
        String unsupported = unsupportedColumn(schema);
        if (unsupported != null) {
            throw new IllegalArgumentException(unsupported);
        }
        this.schema = schema;
    }

    /** The first column this converter cannot write, described, or null when it can write them all. */
    static String unsupportedColumn(Schema schema) {
        for (Types.NestedField f : schema.columns()) {
            switch (f.type().typeId()) {
                case BOOLEAN, INTEGER, LONG, FLOAT, DOUBLE, DECIMAL, STRING, DATE, TIMESTAMP, BINARY -> {
                    // written as they are
                }
                default -> {
                    return "column " + f.name() + " has type " + f.type();
                }
            }
        }
        return null;
    }

    Record toRecord(InternalRow row) {
        List<Types.NestedField> fields = schema.columns();
        GenericRecord record = GenericRecord.create(schema);
        for (int i = 0; i < fields.size(); i++) {
            record.set(i, row.isNullAt(i) ? null : value(fields.get(i).type(), row, i));
        }
        return record;
    }

    private static Object value(Type type, InternalRow row, int i) {
        return switch (type.typeId()) {
            case BOOLEAN -> row.getBoolean(i);
            case INTEGER -> row.getInt(i);
            case LONG -> row.getLong(i);
            case FLOAT -> row.getFloat(i);
            case DOUBLE -> row.getDouble(i);
            case DECIMAL -> {
                Types.DecimalType d = (Types.DecimalType) type;
                yield row.getDecimal(i, d.precision(), d.scale()).toJavaBigDecimal();
            }
            case STRING -> row.getUTF8String(i).toString();
            case DATE -> LocalDate.ofEpochDay(row.getInt(i));
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
                    ? Instant.EPOCH.plus(row.getLong(i), ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)
                    : EPOCH.plus(row.getLong(i), ChronoUnit.MICROS);
            case BINARY -> ByteBuffer.wrap(row.getBinary(i));
            default -> throw new IllegalArgumentException("cannot write a value of type " + type);
        };
    }
}
