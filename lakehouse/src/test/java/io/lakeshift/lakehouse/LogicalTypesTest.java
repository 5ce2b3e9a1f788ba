package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.envelope.LogicalType;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** docs/type-mapping.md's second step: envelope logical types to Iceberg types Spark can write. */
class LogicalTypesTest {

    @Test
    void scalarTypes() {
        assertThat(LogicalTypes.iceberg(LogicalType.BOOLEAN)).isEqualTo(Types.BooleanType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.INT16)).isEqualTo(Types.IntegerType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.INT32)).isEqualTo(Types.IntegerType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.INT64)).isEqualTo(Types.LongType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.FLOAT32)).isEqualTo(Types.FloatType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.FLOAT64)).isEqualTo(Types.DoubleType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.BINARY)).isEqualTo(Types.BinaryType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.DATE)).isEqualTo(Types.DateType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.TIMESTAMP)).isEqualTo(Types.TimestampType.withoutZone());
        assertThat(LogicalTypes.iceberg(LogicalType.TIMESTAMPTZ)).isEqualTo(Types.TimestampType.withZone());
    }

    @Test
    void textLikeTypesAreStrings() {
        assertThat(LogicalTypes.iceberg(LogicalType.STRING)).isEqualTo(Types.StringType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.JSON)).isEqualTo(Types.StringType.get());
        assertThat(LogicalTypes.iceberg(LogicalType.UUID)).isEqualTo(Types.StringType.get());
    }

    @Test
    void aTimeOfDayIsItsIsoTextBecauseSparkCannotWriteIcebergTime() {
        assertThat(LogicalTypes.iceberg(LogicalType.TIME)).isEqualTo(Types.StringType.get());
    }

    @Test
    void decimalsKeepPrecisionAndScaleUpToIcebergsLimit() {
        assertThat(LogicalTypes.iceberg(LogicalType.decimal(12, 2))).isEqualTo(Types.DecimalType.of(12, 2));
        assertThat(LogicalTypes.iceberg(LogicalType.decimal(38, 10))).isEqualTo(Types.DecimalType.of(38, 10));
        assertThat(LogicalTypes.iceberg(LogicalType.decimal(20, 0))).isEqualTo(Types.DecimalType.of(20, 0));
        assertThat(LogicalTypes.iceberg(LogicalType.decimal(19, 2))).isEqualTo(Types.DecimalType.of(19, 2));
        // Wider than Iceberg allows: the scale is kept, so a value that does not fit overflows rather than rounds.
        assertThat(LogicalTypes.iceberg(LogicalType.decimal(60, 20))).isEqualTo(Types.DecimalType.of(38, 20));
    }

    @Test
    void anUnboundedDecimalIsTheWidestDecimalWithTenFractionalDigits() {
        assertThat(LogicalTypes.iceberg(LogicalType.decimal(0, 0))).isEqualTo(Types.DecimalType.of(38, 10));
    }
}
