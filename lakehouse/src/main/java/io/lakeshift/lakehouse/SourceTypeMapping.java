package io.lakeshift.lakehouse;

import java.sql.Types;
import java.util.Locale;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types.BinaryType;
import org.apache.iceberg.types.Types.BooleanType;
import org.apache.iceberg.types.Types.DateType;
import org.apache.iceberg.types.Types.DecimalType;
import org.apache.iceberg.types.Types.DoubleType;
import org.apache.iceberg.types.Types.FloatType;
import org.apache.iceberg.types.Types.IntegerType;
import org.apache.iceberg.types.Types.LongType;
import org.apache.iceberg.types.Types.StringType;
import org.apache.iceberg.types.Types.TimeType;
import org.apache.iceberg.types.Types.TimestampType;

/**
 * Source column type to Iceberg type; the one place this mapping lives (the README's type table
 * mirrors it). PostgreSQL names are checked first because its JDBC driver reports several distinct
 * types under one {@link Types} code (timestamptz as TIMESTAMP, jsonb and uuid as OTHER).
 */
public final class SourceTypeMapping {

    /** Iceberg's largest decimal precision. */
    public static final int MAX_DECIMAL_PRECISION = 38;
    /** Scale used for a decimal the source declared without precision (PostgreSQL's bare numeric). */
    public static final int UNBOUNDED_DECIMAL_SCALE = 10;

    private SourceTypeMapping() {
    }

    /**
     * @param jdbcType the {@link Types} code
     * @param typeName the database's own type name
     * @param precision column size / decimal precision as JDBC reports it
     * @param scale decimal digits as JDBC reports it
     * @throws IllegalArgumentException for a type Lakeshift cannot store
     */
    public static Type toIceberg(int jdbcType, String typeName, int precision, int scale) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        switch (name) {
            case "timestamptz", "timestamp with time zone" -> {
                return TimestampType.withZone();
            }
            case "timestamp", "timestamp without time zone" -> {
                return TimestampType.withoutZone();
            }
            case "json", "jsonb", "uuid", "xml", "citext", "inet", "cidr", "macaddr", "interval", "money" -> {
                return StringType.get();
            }
            case "bool", "boolean" -> {
                return BooleanType.get();
            }
            default -> {
                // decided by the JDBC type code below
            }
        }
        return switch (jdbcType) {
            case Types.BIT, Types.BOOLEAN -> BooleanType.get();
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> IntegerType.get();
            case Types.BIGINT -> LongType.get();
            case Types.REAL, Types.FLOAT -> FloatType.get();
            case Types.DOUBLE -> DoubleType.get();
            case Types.NUMERIC, Types.DECIMAL -> decimal(precision, scale);
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB, Types.SQLXML, Types.OTHER, Types.ARRAY -> StringType.get();
            case Types.DATE -> DateType.get();
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> TimeType.get();
            case Types.TIMESTAMP -> TimestampType.withoutZone();
            case Types.TIMESTAMP_WITH_TIMEZONE -> TimestampType.withZone();
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BinaryType.get();
            default -> throw new IllegalArgumentException("no Iceberg type for source type " + typeName + " (JDBC type " + jdbcType + ")");
        };
    }

    private static Type decimal(int precision, int scale) {
        // PostgreSQL reports a bare numeric as precision 0 or 131089.
        if (precision <= 0 || precision > MAX_DECIMAL_PRECISION) {
            return DecimalType.of(MAX_DECIMAL_PRECISION, UNBOUNDED_DECIMAL_SCALE);
        }
        return DecimalType.of(precision, Math.max(scale, 0));
    }
}
