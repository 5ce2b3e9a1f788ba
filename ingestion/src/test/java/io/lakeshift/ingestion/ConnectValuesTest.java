package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.envelope.LogicalType;
import java.math.BigDecimal;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The value rules of docs/type-mapping.md that ingestion applies, on schemas built as Debezium builds them. */
class ConnectValuesTest {

    private static final Schema BITS_4 = SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", "4").optional().build();
    private static final Schema ZONED_TIME = SchemaBuilder.string().name("io.debezium.time.ZonedTime").optional().build();

    @Test
    void bitStringsAreTheirTextMostSignificantBitFirst() {
        // Debezium sends bits little-endian: byte 0 holds bits 0 to 7.
        assertThat(ConnectValues.valueOf(BITS_4, new byte[] {0b1010})).isEqualTo("1010");
        assertThat(ConnectValues.valueOf(BITS_4, new byte[] {0b0001})).isEqualTo("0001");
        assertThat(ConnectValues.bits(new byte[] {(byte) 0xFF, 0b1}, 10)).isEqualTo("0111111111");
        assertThat(ConnectValues.bits(new byte[] {0b101}, 8)).as("a shorter varbit value is written at the declared length")
                .isEqualTo("00000101");
        assertThat(ConnectValues.typeOf(BITS_4)).isEqualTo(LogicalType.STRING);
    }

    @Test
    void aTimeWithZoneHasSixFractionalDigitsAndItsOffset() {
        assertThat(ConnectValues.valueOf(ZONED_TIME, "08:15:30.5Z")).isEqualTo("08:15:30.500000Z");
        assertThat(ConnectValues.valueOf(ZONED_TIME, "23:00Z")).isEqualTo("23:00:00.000000Z");
        assertThat(ConnectValues.zonedTime("10:15:30.123456+02:00")).isEqualTo("10:15:30.123456+02:00");
        assertThat(ConnectValues.typeOf(ZONED_TIME)).isEqualTo(LogicalType.STRING);
    }

    @Test
    void moneyIsADecimalOfCentsWhenDebeziumNamesTheSourceType() {
        Schema money = Decimal.builder(2).parameter(ConnectValues.SOURCE_TYPE, "MONEY").optional().build();
        Schema plain = Decimal.builder(2).parameter("connect.decimal.precision", "12").parameter(ConnectValues.SOURCE_TYPE, "NUMERIC")
                .optional().build();

        assertThat(ConnectValues.typeOf(money)).isEqualTo(LogicalType.decimal(19, 2));
        assertThat(ConnectValues.valueOf(money, new BigDecimal("-0.01"))).isEqualTo("-0.01");
        assertThat(ConnectValues.typeOf(plain)).isEqualTo(LogicalType.decimal(12, 2));
    }

    @Test
    void aTimeOfDayKeepsItsLogicalTypeAndIsoText() {
        Schema micro = SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build();

        assertThat(ConnectValues.typeOf(micro)).isEqualTo(LogicalType.TIME);
        assertThat(ConnectValues.valueOf(micro, 36_930_123_456L)).isEqualTo("10:15:30.123456");
    }
}
