package io.lakeshift.lakehouse;

import io.lakeshift.core.envelope.LogicalType;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The second step of Lakeshift's type mapping: an envelope {@link LogicalType} to the Iceberg type
 * its lake column gets. The first step, source column to logical type, is {@link SourceTypeMapping};
 * {@code docs/type-mapping.md} documents both.
 *
 * <p>Every Iceberg type chosen here is one Spark can write: Iceberg's {@code time} is not (Spark
 * fails the whole write with "Spark does not support time fields"), so a time of day is stored as
 * its ISO-8601 text, which sorts like the time it names.
 */
public final class LogicalTypes {

    /** Iceberg's largest decimal precision. */
    public static final int MAX_DECIMAL_PRECISION = 38;
    /** Scale of the lake column for a decimal the source declared without precision (PostgreSQL's bare numeric). */
    public static final int UNBOUNDED_DECIMAL_SCALE = 10;

    private LogicalTypes() {
    }

    /** The Iceberg type of a lake column that holds values of {@code type}. */
    public static Type iceberg(LogicalType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Types.BooleanType.get();
            case INT16, INT32 -> Types.IntegerType.get();
            case INT64 -> Types.LongType.get();
            case FLOAT32 -> Types.FloatType.get();
            case FLOAT64 -> Types.DoubleType.get();
            case DECIMAL -> decimal(type.precision(), type.scale());
            case STRING, JSON, UUID, TIME -> Types.StringType.get();
            case BINARY -> Types.BinaryType.get();
            case DATE -> Types.DateType.get();
            case TIMESTAMP -> Types.TimestampType.withoutZone();
            case TIMESTAMPTZ -> Types.TimestampType.withZone();
        };
    }

    /**
     * A decimal without precision gets {@code decimal(38,10)}: 28 integer and 10 fractional digits.
     * One wider than Iceberg allows keeps its scale and is capped at 38 digits, so a value that does
     * not fit overflows (and is dead-lettered by the apply job) instead of being rounded.
     */
    private static Type decimal(int precision, int scale) {
        if (precision <= 0) {
            return Types.DecimalType.of(MAX_DECIMAL_PRECISION, UNBOUNDED_DECIMAL_SCALE);
        }
        if (precision > MAX_DECIMAL_PRECISION) {
            return Types.DecimalType.of(MAX_DECIMAL_PRECISION, Math.min(scale, MAX_DECIMAL_PRECISION));
        }
        return Types.DecimalType.of(precision, scale);
    }
}
