package io.lakeshift.camel.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.envelope.LogicalType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast paths give exactly what java.time and BigDecimal give, or step aside. */
class IsoTextTest {

    @Test
    void datesAsJavaTimeReadsThem() {
        for (String s : List.of("2026-01-31", "2024-02-29", "1999-12-01", "0001-01-01")) {
            assertThat(IsoText.date(s)).isEqualTo(LocalDate.parse(s).toString());
        }
        for (String s : List.of("2023-02-29", "2026-13-01", "2026-1-01", "2026-01-32", " 2026-01-01", "2026/01/01")) {
            assertThat(IsoText.date(s)).as(s).isNull();
        }
    }

    @Test
    void timestampsAndTimesWithMicroseconds() {
        for (String s : List.of("2026-01-31T10:15:30", "2026-01-31T10:15", "2026-01-31T23:59:59.1", "2026-01-31T00:00:00.123456789")) {
            assertThat(IsoText.localTimestamp(s)).isEqualTo(ValueParsers.LOCAL_TIMESTAMP.format(LocalDateTime.parse(s)));
            assertThat(IsoText.localTimestamp(s.replace('T', ' '))).isEqualTo(IsoText.localTimestamp(s));
        }
        assertThat(IsoText.time("07:05:09.5", 0)).isEqualTo(ValueParsers.LOCAL_TIME.format(LocalTime.parse("07:05:09.5")));
        for (String s : List.of("2026-01-31T24:00:00", "2026-01-31T10:60", "2026-01-31T10:15:30Z", "2026-01-31T10:15:30.", "2026-01-31")) {
            assertThat(IsoText.localTimestamp(s)).as(s).isNull();
        }
    }

    @Test
    void decimalsAsBigDecimalWritesThemAtTheDeclaredScale() {
        LogicalType type = LogicalType.decimal(6, 2);
        for (String s : List.of("0", "1", "-1.5", "+12.25", "1234.56", "-0.00", "0.5", "9999.99")) {
            String expected = new BigDecimal(s).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
            assertThat(IsoText.decimal(s, type.precision(), type.scale())).as(s).isEqualTo(expected);
        }
        for (String s : List.of("12345.6", "1.234", "1e3", "007", "", "-", ".5", "1,5", " 1")) {
            assertThat(IsoText.decimal(s, type.precision(), type.scale())).as(s).isNull();
        }
        assertThat(IsoText.decimal("0.12", 2, 2)).isEqualTo("0.12");
        assertThat(IsoText.decimal("1.12", 2, 2)).isNull();
        assertThat(IsoText.decimal("42", 5, 0)).isEqualTo("42");
    }
}
