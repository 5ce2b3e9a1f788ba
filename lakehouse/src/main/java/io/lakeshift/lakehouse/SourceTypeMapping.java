package io.lakeshift.lakehouse;

import io.lakeshift.core.envelope.LogicalType;
import java.sql.Types;
import java.util.Locale;
import org.apache.iceberg.types.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of Lakeshift's type mapping: a source column, as JDBC metadata describes it, to
 * the envelope {@link LogicalType} its values travel with. Change data capture (Debezium) sends
 * values of exactly this logical type for the same column; the second step,
 * {@link LogicalTypes#iceberg}, gives the lake column's type. {@code docs/type-mapping.md} is the
 * table of both steps with the reason for each rule.
 *
 * <p>The database's own type name is checked before the JDBC type code, because drivers report
 * distinct types under one code (PostgreSQL: timestamptz as TIMESTAMP, jsonb and uuid as OTHER,
 * bit(n) as BIT; MySQL: DATETIME and TIMESTAMP both as TIMESTAMP). Where one name means different
 * types in different databases ({@code timestamp}), the source kind decides.
 *
 * <p>No column type stops a source: a type with no rule is carried as a string, with a warning
 * naming the column.
 */
public final class SourceTypeMapping {

    /** Source kind of PostgreSQL sources. */
    public static final String POSTGRES = "postgres";
    /** Source kind of MySQL sources. */
    public static final String MYSQL = "mysql";
    /** Source kind of MariaDB sources. */
    public static final String MARIADB = "mariadb";
    /** PostgreSQL's money: a 64-bit count of cents, so at most 19 digits, 2 of them after the point. */
    public static final LogicalType MONEY = LogicalType.decimal(19, 2);
    /** MySQL's BIGINT UNSIGNED: up to 18446744073709551615, 20 digits. */
    public static final LogicalType UNSIGNED_BIGINT = LogicalType.decimal(20, 0);
    /** A decimal the source declared without precision (PostgreSQL's bare numeric). */
    public static final LogicalType UNBOUNDED_DECIMAL = LogicalType.decimal(0, 0);

    private static final Logger LOG = LoggerFactory.getLogger(SourceTypeMapping.class);
    /** What PostgreSQL's driver reports as the precision of a bare numeric. */
    private static final int PG_UNBOUNDED_NUMERIC = 131089;

    private SourceTypeMapping() {
    }

    /**
     * The logical type of a source column's values.
     *
     * @param sourceKind {@link #POSTGRES}, {@link #MYSQL}, {@link #MARIADB}, or another kind (then
     *     only names every database agrees on and the JDBC type code decide)
     * @param column the column's name, for the warning about a type with no rule
     * @param jdbcType the {@link Types} code
     * @param typeName the database's own type name
     * @param precision column size / decimal precision as JDBC reports it
     * @param scale decimal digits as JDBC reports it
     */
    public static LogicalType logicalType(String sourceKind, String column, int jdbcType, String typeName, int precision,
            int scale) {
        String name = typeName == null ? "" : typeName.trim().toLowerCase(Locale.ROOT);
        String kind = sourceKind == null ? "" : sourceKind.toLowerCase(Locale.ROOT);
        LogicalType byName = switch (kind) {
            case MYSQL, MARIADB -> mysql(name, jdbcType, precision);
            case POSTGRES -> postgres(name, jdbcType, precision, scale);
            default -> null;
        };
        if (byName != null) {
            return byName;
        }
        LogicalType byCode = byCode(jdbcType, precision, scale);
        if (byCode != null) {
            return byCode;
        }
        LOG.warn("Column {} has source type {} (JDBC type {}) with no type rule: its values are carried and stored as strings",
                column, typeName, jdbcType);
        return LogicalType.STRING;
    }

    /** The Iceberg type of a source column: {@link #logicalType} then {@link LogicalTypes#iceberg}. */
    public static Type toIceberg(String sourceKind, String column, int jdbcType, String typeName, int precision, int scale) {
        return LogicalTypes.iceberg(logicalType(sourceKind, column, jdbcType, typeName, precision, scale));
    }

    private static LogicalType postgres(String name, int jdbcType, int precision, int scale) {
        if (jdbcType == Types.ARRAY || name.startsWith("_")) {
            return LogicalType.JSON; // Debezium sends an array as a list: a JSON array
        }
        return switch (name) {
            case "bool", "boolean" -> LogicalType.BOOLEAN;
            case "int2", "smallserial" -> LogicalType.INT16;
            case "int4", "serial" -> LogicalType.INT32;
            case "int8", "bigserial", "oid" -> LogicalType.INT64;
            case "float4" -> LogicalType.FLOAT32;
            case "float8" -> LogicalType.FLOAT64;
            case "numeric" -> decimal(precision, scale);
            case "money" -> MONEY;
            case "timestamptz" -> LogicalType.TIMESTAMPTZ;
            case "timestamp" -> LogicalType.TIMESTAMP;
            case "date" -> LogicalType.DATE;
            case "time" -> LogicalType.TIME;
            // Debezium sends a timetz normalised to UTC, as ISO-8601 text with its offset.
            case "timetz" -> LogicalType.STRING;
            // Captured as ISO-8601 durations (interval.handling.mode=string): months are not a fixed number of days.
            case "interval" -> LogicalType.STRING;
            // Debezium sends hstore as a JSON object (hstore.handling.mode=json).
            case "json", "jsonb", "hstore" -> LogicalType.JSON;
            case "uuid" -> LogicalType.UUID;
            case "bytea" -> LogicalType.BINARY;
            // bit(1) is a flag; longer bit strings are kept as their '0'/'1' text.
            case "bit" -> precision <= 1 ? LogicalType.BOOLEAN : LogicalType.STRING;
            case "varbit", "xml", "citext", "inet", "cidr", "macaddr", "macaddr8", "bpchar", "char", "varchar", "text",
                    "name", "ltree", "tsvector" -> LogicalType.STRING;
            default -> null; // enums (VARCHAR) and domains (their base type's code) by the code
        };
    }

    private static LogicalType mysql(String name, int jdbcType, int precision) {
        return switch (name) {
            case "bigint unsigned" -> UNSIGNED_BIGINT;
            case "int unsigned", "integer unsigned" -> LogicalType.INT64;
            case "mediumint", "mediumint unsigned", "smallint unsigned" -> LogicalType.INT32;
            case "tinyint", "tinyint unsigned", "smallint" -> LogicalType.INT16;
            case "bigint" -> LogicalType.INT64;
            // MySQL's DATETIME is a wall-clock time; its TIMESTAMP is an instant (stored in UTC).
            case "datetime" -> LogicalType.TIMESTAMP;
            case "timestamp" -> LogicalType.TIMESTAMPTZ;
            case "year" -> LogicalType.INT32;
            case "time" -> LogicalType.TIME;
            case "json" -> LogicalType.JSON;
            case "enum", "set" -> LogicalType.STRING;
            // The driver reports tinyint(1) (BOOLEAN) and bit(1) as BIT with size 1.
            case "bit" -> precision <= 1 ? LogicalType.BOOLEAN : LogicalType.STRING;
            case "float" -> LogicalType.FLOAT32;
            case "double", "double precision", "real" -> LogicalType.FLOAT64;
            default -> jdbcType == Types.BIT ? LogicalType.BOOLEAN : null;
        };
    }

    private static LogicalType byCode(int jdbcType, int precision, int scale) {
        return switch (jdbcType) {
            case Types.BIT, Types.BOOLEAN -> LogicalType.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT -> LogicalType.INT16;
            case Types.INTEGER -> LogicalType.INT32;
            case Types.BIGINT -> LogicalType.INT64;
            case Types.REAL, Types.FLOAT -> LogicalType.FLOAT32;
            case Types.DOUBLE -> LogicalType.FLOAT64;
            case Types.NUMERIC, Types.DECIMAL -> decimal(precision, scale);
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB, Types.SQLXML -> LogicalType.STRING;
            case Types.DATE -> LogicalType.DATE;
            case Types.TIME -> LogicalType.TIME;
            case Types.TIME_WITH_TIMEZONE -> LogicalType.STRING;
            case Types.TIMESTAMP -> LogicalType.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> LogicalType.TIMESTAMPTZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> LogicalType.BINARY;
            default -> null;
        };
    }

    private static LogicalType decimal(int precision, int scale) {
        if (precision <= 0 || precision == PG_UNBOUNDED_NUMERIC) {
            return UNBOUNDED_DECIMAL;
        }
        // PostgreSQL 15 allows a negative scale or one above the precision: the digits still fit this.
        int s = Math.max(scale, 0);
        return LogicalType.decimal(Math.max(precision, s), s);
    }
}
