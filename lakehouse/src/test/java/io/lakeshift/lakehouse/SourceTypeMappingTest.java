package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.envelope.LogicalType;
import java.sql.Types;
import org.junit.jupiter.api.Test;

/**
 * docs/type-mapping.md, row by row: each source type as its JDBC driver reports it (PostgreSQL's
 * pgjdbc, MySQL Connector/J for MySQL and MariaDB) to its envelope logical type.
 */
class SourceTypeMappingTest {

    @Test
    void postgresNumbers() {
        assertThat(pg(Types.BIT, "bool", 1, 0)).isEqualTo(LogicalType.BOOLEAN);
        assertThat(pg(Types.SMALLINT, "int2", 5, 0)).isEqualTo(LogicalType.INT16);
        assertThat(pg(Types.INTEGER, "int4", 10, 0)).isEqualTo(LogicalType.INT32);
        assertThat(pg(Types.INTEGER, "serial", 10, 0)).isEqualTo(LogicalType.INT32);
        assertThat(pg(Types.BIGINT, "int8", 19, 0)).isEqualTo(LogicalType.INT64);
        assertThat(pg(Types.REAL, "float4", 8, 8)).isEqualTo(LogicalType.FLOAT32);
        assertThat(pg(Types.DOUBLE, "float8", 17, 17)).isEqualTo(LogicalType.FLOAT64);
        assertThat(pg(Types.NUMERIC, "numeric", 12, 2)).isEqualTo(LogicalType.decimal(12, 2));
        assertThat(pg(Types.NUMERIC, "numeric", 38, 10)).isEqualTo(LogicalType.decimal(38, 10));
        assertThat(pg(Types.NUMERIC, "numeric", 60, 20)).isEqualTo(LogicalType.decimal(60, 20));
    }

    @Test
    void postgresNumericWithoutPrecisionIsTheUnboundedDecimal() {
        assertThat(pg(Types.NUMERIC, "numeric", 131089, 0)).isEqualTo(LogicalType.decimal(0, 0));
        assertThat(pg(Types.NUMERIC, "numeric", 0, 0)).isEqualTo(SourceTypeMapping.UNBOUNDED_DECIMAL);
    }

    @Test
    void postgresMoneyIsADecimalOfCents() {
        // pgjdbc reports money as DOUBLE: a double would round large amounts.
        assertThat(pg(Types.DOUBLE, "money", 2147483647, 0)).isEqualTo(LogicalType.decimal(19, 2));
    }

    @Test
    void postgresTemporalTypes() {
        assertThat(pg(Types.DATE, "date", 13, 0)).isEqualTo(LogicalType.DATE);
        assertThat(pg(Types.TIMESTAMP, "timestamp", 29, 6)).isEqualTo(LogicalType.TIMESTAMP);
        assertThat(pg(Types.TIMESTAMP, "timestamptz", 35, 6)).isEqualTo(LogicalType.TIMESTAMPTZ);
        assertThat(pg(Types.TIME, "time", 15, 6)).isEqualTo(LogicalType.TIME);
        assertThat(pg(Types.TIME, "timetz", 21, 6)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.OTHER, "interval", 49, 6)).isEqualTo(LogicalType.STRING);
    }

    @Test
    void postgresTextLikeTypes() {
        assertThat(pg(Types.VARCHAR, "text", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.VARCHAR, "varchar", 20, 0)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.CHAR, "bpchar", 3, 0)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.OTHER, "json", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.JSON);
        assertThat(pg(Types.OTHER, "jsonb", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.JSON);
        assertThat(pg(Types.OTHER, "hstore", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.JSON);
        assertThat(pg(Types.OTHER, "uuid", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.UUID);
        assertThat(pg(Types.SQLXML, "xml", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.OTHER, "inet", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.OTHER, "cidr", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.OTHER, "macaddr", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.BINARY, "bytea", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.BINARY);
    }

    @Test
    void postgresBitStringsAreAFlagOrTheirText() {
        assertThat(pg(Types.BIT, "bit", 1, 0)).isEqualTo(LogicalType.BOOLEAN);
        assertThat(pg(Types.BIT, "bit", 4, 0)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.OTHER, "varbit", 8, 0)).isEqualTo(LogicalType.STRING);
    }

    @Test
    void postgresArraysAreJson() {
        assertThat(pg(Types.ARRAY, "_int4", 10, 0)).isEqualTo(LogicalType.JSON);
        assertThat(pg(Types.ARRAY, "_text", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.JSON);
    }

    @Test
    void postgresEnumsAreStringsAndDomainsTheirBaseType() {
        // pgjdbc reports an enum as VARCHAR under the enum's name; SourceTable.read gives a domain its base type's name.
        assertThat(pg(Types.VARCHAR, "mood", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.STRING);
        assertThat(pg(Types.NUMERIC, "numeric", 10, 2)).isEqualTo(LogicalType.decimal(10, 2));
        assertThat(pg(Types.INTEGER, "positive_int", 10, 0)).isEqualTo(LogicalType.INT32);
    }

    @Test
    void mysqlIntegersFollowTheirWidthAndSign() {
        assertThat(my(Types.BIT, "BIT", 1, 0)).as("tinyint(1) as Connector/J reports it").isEqualTo(LogicalType.BOOLEAN);
        assertThat(my(Types.TINYINT, "TINYINT", 3, 0)).isEqualTo(LogicalType.INT16);
        assertThat(my(Types.TINYINT, "TINYINT UNSIGNED", 3, 0)).isEqualTo(LogicalType.INT16);
        assertThat(my(Types.SMALLINT, "SMALLINT", 5, 0)).isEqualTo(LogicalType.INT16);
        assertThat(my(Types.SMALLINT, "SMALLINT UNSIGNED", 5, 0)).isEqualTo(LogicalType.INT32);
        assertThat(my(Types.INTEGER, "MEDIUMINT", 7, 0)).isEqualTo(LogicalType.INT32);
        assertThat(my(Types.INTEGER, "INT", 10, 0)).isEqualTo(LogicalType.INT32);
        assertThat(my(Types.INTEGER, "INT UNSIGNED", 10, 0)).isEqualTo(LogicalType.INT64);
        assertThat(my(Types.BIGINT, "BIGINT", 19, 0)).isEqualTo(LogicalType.INT64);
        assertThat(my(Types.BIGINT, "BIGINT UNSIGNED", 20, 0)).isEqualTo(LogicalType.decimal(20, 0));
        assertThat(my(Types.DECIMAL, "DECIMAL", 38, 10)).isEqualTo(LogicalType.decimal(38, 10));
        assertThat(my(Types.REAL, "FLOAT", 12, 0)).isEqualTo(LogicalType.FLOAT32);
        assertThat(my(Types.DOUBLE, "DOUBLE", 22, 0)).isEqualTo(LogicalType.FLOAT64);
    }

    @Test
    void mysqlDatetimeIsWallClockAndTimestampAnInstant() {
        assertThat(my(Types.TIMESTAMP, "DATETIME", 26, 0)).isEqualTo(LogicalType.TIMESTAMP);
        assertThat(my(Types.TIMESTAMP, "TIMESTAMP", 26, 0)).isEqualTo(LogicalType.TIMESTAMPTZ);
        assertThat(my(Types.DATE, "DATE", 10, 0)).isEqualTo(LogicalType.DATE);
        assertThat(my(Types.TIME, "TIME", 15, 0)).isEqualTo(LogicalType.TIME);
        assertThat(my(Types.DATE, "YEAR", 4, 0)).isEqualTo(LogicalType.INT32);
        assertThat(SourceTypeMapping.logicalType(SourceTypeMapping.MARIADB, "t.c", Types.TIMESTAMP, "TIMESTAMP", 26, 0))
                .isEqualTo(LogicalType.TIMESTAMPTZ);
    }

    @Test
    void mysqlEnumSetBitAndJson() {
        assertThat(my(Types.CHAR, "ENUM", 1, 0)).isEqualTo(LogicalType.STRING);
        assertThat(my(Types.CHAR, "SET", 3, 0)).isEqualTo(LogicalType.STRING);
        assertThat(my(Types.BIT, "BIT", 1, 0)).isEqualTo(LogicalType.BOOLEAN);
        assertThat(my(Types.BIT, "BIT", 4, 0)).isEqualTo(LogicalType.STRING);
        assertThat(my(Types.LONGVARCHAR, "JSON", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.JSON);
        // MariaDB's JSON is LONGTEXT with a check: its values are captured as text.
        assertThat(my(Types.LONGVARCHAR, "LONGTEXT", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.STRING);
        assertThat(my(Types.VARBINARY, "VARBINARY", 16, 0)).isEqualTo(LogicalType.BINARY);
        assertThat(my(Types.LONGVARBINARY, "BLOB", 65535, 0)).isEqualTo(LogicalType.BINARY);
    }

    @Test
    void timestampMeansWallClockInPostgresAndAnInstantInMysql() {
        assertThat(pg(Types.TIMESTAMP, "timestamp", 29, 6)).isEqualTo(LogicalType.TIMESTAMP);
        assertThat(my(Types.TIMESTAMP, "TIMESTAMP", 26, 0)).isEqualTo(LogicalType.TIMESTAMPTZ);
    }

    @Test
    void otherSourcesGoByTheJdbcTypeCode() {
        assertThat(SourceTypeMapping.logicalType(null, "t.c", Types.TIMESTAMP_WITH_TIMEZONE, "TIMESTAMP WITH TIME ZONE", 0, 0))
                .isEqualTo(LogicalType.TIMESTAMPTZ);
        assertThat(SourceTypeMapping.logicalType("jdbc", "t.c", Types.NUMERIC, "NUMBER", 10, 2)).isEqualTo(LogicalType.decimal(10, 2));
        assertThat(SourceTypeMapping.logicalType("jdbc", "t.c", Types.CLOB, "CLOB", 0, 0)).isEqualTo(LogicalType.STRING);
    }

    @Test
    void aTypeWithNoRuleIsAStringAndAWarningNamingTheColumn() {
        try (LogCapture logs = LogCapture.start()) {
            assertThat(pg(Types.OTHER, "point", Integer.MAX_VALUE, 0)).isEqualTo(LogicalType.STRING);
            assertThat(SourceTypeMapping.logicalType(null, "shop.t.shape", Types.STRUCT, "mystruct", 0, 0)).isEqualTo(LogicalType.STRING);
            assertThat(logs.all()).contains("Column shop.t.c has source type point").contains("shop.t.shape")
                    .contains("stored as strings");
        }
    }

    @Test
    void toIcebergIsBothSteps() {
        assertThat(SourceTypeMapping.toIceberg(SourceTypeMapping.POSTGRES, "t.c", Types.TIME, "time", 15, 6))
                .isEqualTo(org.apache.iceberg.types.Types.StringType.get());
        assertThat(SourceTypeMapping.toIceberg(SourceTypeMapping.POSTGRES, "t.c", Types.NUMERIC, "numeric", 131089, 0))
                .isEqualTo(org.apache.iceberg.types.Types.DecimalType.of(38, 10));
    }

    private static LogicalType pg(int jdbcType, String name, int precision, int scale) {
        return SourceTypeMapping.logicalType(SourceTypeMapping.POSTGRES, "shop.t.c", jdbcType, name, precision, scale);
    }

    private static LogicalType my(int jdbcType, String name, int precision, int scale) {
        return SourceTypeMapping.logicalType(SourceTypeMapping.MYSQL, "shop.t.c", jdbcType, name, precision, scale);
    }
}
