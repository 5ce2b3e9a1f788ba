package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** How the parser reads values into lower-case tables and guards unbounded decimals against rounding. */
class EnvelopeParserTest {

    private static final String DECLARATIONS = ",\"columns\":[{\"name\":\"Id\",\"type\":\"int32\"},"
            + "{\"name\":\"num_free\",\"type\":\"decimal(0,0)\",\"optional\":true},"
            + "{\"name\":\"price\",\"type\":\"decimal(12,2)\",\"optional\":true}]}";

    @Test
    void aSourceColumnFindsTheLowerCaseTableColumnOfItsName() {
        EnvelopeParser parser = new EnvelopeParser(List.of("id", "num_free", "price"), true);

        Row after = parse(parser, "{\"op\":\"c\",\"after\":{\"Id\":7,\"NUM_FREE\":\"1.5\",\"price\":\"2.00\"}" + DECLARATIONS)
                .getStruct(2);

        assertThat(after.getString(0)).isEqualTo("7");
        assertThat(after.getString(1)).isEqualTo("1.5");
        assertThat(after.getString(2)).isEqualTo("2.00");
    }

    @Test
    void anUnboundedDecimalThatTheLakeScaleWouldRoundIsMarkedSoItIsDeadLettered() {
        EnvelopeParser parser = new EnvelopeParser(List.of("id", "num_free", "price"));

        Row row = parse(parser, "{\"op\":\"u\",\"before\":{\"Id\":1,\"num_free\":\"0.12345678901\"},"
                + "\"after\":{\"Id\":1,\"num_free\":\"3.14159265358979323846\",\"price\":\"1.25\"}" + DECLARATIONS);

        assertThat(row.getStruct(1).getString(1)).isEqualTo("0.12345678901 has more than 10 fractional digits: storing it would round it");
        assertThat(row.getStruct(2).getString(1)).startsWith("3.14159265358979323846 has more than 10 fractional digits");
        assertThat(row.getStruct(2).getString(2)).isEqualTo("1.25");
    }

    @Test
    void unboundedDecimalsThatFitAreLeftAsTheyAre() {
        EnvelopeParser parser = new EnvelopeParser(List.of("id", "num_free", "price"));

        assertThat(parse(parser, "{\"op\":\"c\",\"after\":{\"Id\":1,\"num_free\":\"1234567890123456789012345678.1234567890\"}"
                + DECLARATIONS).getStruct(2).getString(1)).isEqualTo("1234567890123456789012345678.1234567890");
        // trailing zeros are not digits a cast would lose; the same declarations again reuse what was found
        assertThat(parse(parser, "{\"op\":\"c\",\"after\":{\"Id\":2,\"num_free\":\"-0.50000000000000\"}" + DECLARATIONS)
                .getStruct(2).getString(1)).isEqualTo("-0.50000000000000");
        assertThat(parse(parser, "{\"op\":\"c\",\"after\":{\"Id\":3,\"num_free\":null}" + DECLARATIONS)
                .getStruct(2).isNullAt(1)).isTrue();
    }

    private static Row parse(EnvelopeParser parser, String json) {
        return parser.call(json.getBytes(StandardCharsets.UTF_8));
    }
}
