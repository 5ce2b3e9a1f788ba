package io.lakeshift.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeEventCodecTest {

    private static final SourceInfo SOURCE = new SourceInfo("postgresql", "retail", "retail", "retail", "orders",
            "lsn=0/16B2D8", new long[] {1487576, 1}, false, 1_700_000_000_123L);

    @Test
    void roundTripKeepsEveryValueExactly() {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("order_id", 42L);
        after.put("total", "12345678901.23");
        after.put("note", "Zoë « 李小龍 » 😀");
        after.put("shipped_at", null);
        after.put("placed_at", "2026-05-01T08:15:30.123456Z");
        ChangeEvent event = new ChangeEvent(Op.UPDATE, Map.of("order_id", 42L), null, after, SOURCE, 1_700_000_000_200L,
                List.of(new Column("order_id", LogicalType.INT64, false), new Column("total", LogicalType.decimal(12, 2), false),
                        new Column("note", LogicalType.STRING, true), new Column("shipped_at", LogicalType.TIMESTAMP, true),
                        new Column("placed_at", LogicalType.TIMESTAMPTZ, false)));

        ChangeEvent decoded = ChangeEventCodec.decode(ChangeEventCodec.encodeKey(event), ChangeEventCodec.encodeValue(event));

        assertThat(decoded.op()).isEqualTo(Op.UPDATE);
        assertThat(decoded.key()).containsEntry("order_id", 42);
        assertThat(decoded.after()).containsEntry("total", "12345678901.23")
                .containsEntry("note", "Zoë « 李小龍 » 😀")
                .containsEntry("shipped_at", null)
                .containsEntry("placed_at", "2026-05-01T08:15:30.123456Z");
        assertThat(decoded.source()).isEqualTo(SOURCE);
        assertThat(decoded.columns()).isEqualTo(event.columns());
        assertThat(decoded.tsMs()).isEqualTo(1_700_000_000_200L);
    }

    @Test
    void valueFollowsDebeziumFieldNames() {
        ChangeEvent event = new ChangeEvent(Op.DELETE, Map.of("order_id", 7L), Map.of("order_id", 7L), null, SOURCE, 5L, List.of());
        String json = new String(ChangeEventCodec.encodeValue(event), StandardCharsets.UTF_8);
        assertThat(json).contains("\"op\":\"d\"", "\"before\":{\"order_id\":7}", "\"after\":null", "\"ts_ms\":5",
                "\"seq\":[1487576,1]", "\"snapshot\":false");
    }

    @Test
    void rejectsWhatIsNotAnEnvelopeWithAReason() {
        assertThatThrownBy(() -> ChangeEventCodec.decode(null, "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("value is not valid JSON");
        assertThatThrownBy(() -> ChangeEventCodec.decode(null, "{\"after\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EnvelopeException.class).hasMessage("missing field 'op'");
        assertThatThrownBy(() -> ChangeEventCodec.decode(null, "{\"op\":\"x\",\"source\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("unknown op 'x'");
        assertThatThrownBy(() -> ChangeEventCodec.decode(null,
                "{\"op\":\"c\",\"source\":{\"system\":\"postgresql\",\"table\":\"t\",\"seq\":[1]}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("source.seq must hold exactly two longs");
        assertThatThrownBy(() -> ChangeEventCodec.decode(null,
                "{\"op\":\"c\",\"source\":{\"system\":\"postgresql\",\"table\":\"t\",\"seq\":[1,2]}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("needs an 'after' row image");
        assertThatThrownBy(() -> ChangeEventCodec.decode(null, null))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("tombstone");
    }

    @Test
    void logicalTypesParseAndPrint() {
        assertThat(LogicalType.parse("decimal(20, 6)")).isEqualTo(LogicalType.decimal(20, 6));
        assertThat(LogicalType.decimal(20, 6).jsonName()).isEqualTo("decimal(20,6)");
        assertThat(LogicalType.parse("TIMESTAMPTZ")).isEqualTo(LogicalType.TIMESTAMPTZ);
        assertThatThrownBy(() -> LogicalType.parse("varchar")).hasMessageContaining("unknown logical type 'varchar'");
        assertThatThrownBy(() -> LogicalType.decimal(4, 6)).hasMessageContaining("invalid decimal(4,6)");
    }

    @Test
    void topicNamesFollowTheContract() {
        assertThat(TopicNames.changes("lakeshift", "retail", "public", "orders")).isEqualTo("lakeshift.retail.public.orders");
        assertThat(TopicNames.deadLetters("lakeshift.retail.public.orders")).isEqualTo("lakeshift.retail.public.orders.dlq");
    }
}
