package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Types;
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
import org.junit.jupiter.api.Test;

/** The README's type table, row by row, as the PostgreSQL driver reports each type. */
class SourceTypeMappingTest {

    @Test
    void postgresTypesMapToIcebergTypes() {
        assertThat(map(Types.BIGINT, "int8", 19, 0)).isEqualTo(LongType.get());
        assertThat(map(Types.INTEGER, "int4", 10, 0)).isEqualTo(IntegerType.get());
        assertThat(map(Types.SMALLINT, "int2", 5, 0)).isEqualTo(IntegerType.get());
        assertThat(map(Types.NUMERIC, "numeric", 12, 2)).isEqualTo(DecimalType.of(12, 2));
        assertThat(map(Types.NUMERIC, "numeric", 38, 10)).isEqualTo(DecimalType.of(38, 10));
        assertThat(map(Types.REAL, "float4", 8, 8)).isEqualTo(FloatType.get());
        assertThat(map(Types.DOUBLE, "float8", 17, 17)).isEqualTo(DoubleType.get());
        assertThat(map(Types.BIT, "bool", 1, 0)).isEqualTo(BooleanType.get());
        assertThat(map(Types.VARCHAR, "text", Integer.MAX_VALUE, 0)).isEqualTo(StringType.get());
        assertThat(map(Types.VARCHAR, "varchar", 2, 0)).isEqualTo(StringType.get());
        assertThat(map(Types.DATE, "date", 13, 0)).isEqualTo(DateType.get());
        assertThat(map(Types.TIME, "time", 15, 6)).isEqualTo(TimeType.get());
        assertThat(map(Types.TIMESTAMP, "timestamp", 29, 6)).isEqualTo(TimestampType.withoutZone());
        assertThat(map(Types.TIMESTAMP, "timestamptz", 35, 6)).isEqualTo(TimestampType.withZone());
        assertThat(map(Types.BINARY, "bytea", Integer.MAX_VALUE, 0)).isEqualTo(BinaryType.get());
        assertThat(map(Types.OTHER, "jsonb", Integer.MAX_VALUE, 0)).isEqualTo(StringType.get());
        assertThat(map(Types.OTHER, "uuid", Integer.MAX_VALUE, 0)).isEqualTo(StringType.get());
        assertThat(map(Types.ARRAY, "_int4", 10, 0)).isEqualTo(StringType.get());
    }

    @Test
    void unboundedOrTooWideDecimalsBecomeTheWidestIcebergDecimal() {
        assertThat(map(Types.NUMERIC, "numeric", 0, 0)).isEqualTo(DecimalType.of(38, 10));
        assertThat(map(Types.NUMERIC, "numeric", 131089, 0)).isEqualTo(DecimalType.of(38, 10));
    }

    @Test
    void unknownTypeIsAClearError() {
        assertThatThrownBy(() -> map(Types.STRUCT, "mystruct", 0, 0))
                .hasMessageContaining("no Iceberg type for source type mystruct");
    }

    private static org.apache.iceberg.types.Type map(int jdbcType, String name, int precision, int scale) {
        return SourceTypeMapping.toIceberg(jdbcType, name, precision, scale);
    }
}
