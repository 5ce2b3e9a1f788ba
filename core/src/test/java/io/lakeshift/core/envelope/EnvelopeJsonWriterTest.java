package io.lakeshift.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The envelope's bytes are a contract with every reader: these are the bytes the tree-model codec wrote. */
class EnvelopeJsonWriterTest {

    @Test
    void writesTheEnvelopeByteForByteAsBefore() {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("order_id", 42L);
        after.put("total", "12345678901.23");
        after.put("note", "Zo\u00eb \"q\" \u00ab \u674e \u00bb \uD83D\uDE00 \\ \n\t\u0001");
        after.put("ok", true);
        after.put("ratio", 1.25);
        after.put("shipped_at", null);
        SourceInfo source = new SourceInfo("postgresql", "retail", null, "public", "orders", "lsn=0/16B2D8",
                new long[] {1487576, 1}, true, 1_700_000_000_123L);
        ChangeEvent event = new ChangeEvent(Op.READ, Map.of("order_id", 42L), null, after, source, 1_700_000_000_200L,
                List.of(new Column("order_id", LogicalType.INT64, false), new Column("total", LogicalType.decimal(12, 2), true),
                        new Column("note", LogicalType.STRING, true), new Column("ok", LogicalType.BOOLEAN, true),
                        new Column("ratio", LogicalType.FLOAT64, true), new Column("shipped_at", LogicalType.TIMESTAMP, true)));

        assertThat(utf8(ChangeEventCodec.encodeKey(event))).isEqualTo("{\"order_id\":42}");
        assertThat(utf8(ChangeEventCodec.encodeValue(event))).isEqualTo("{\"op\":\"r\",\"before\":null,\"after\":{\"order_id\":42,\"total\":\"12345678901.23\",\"note\":\"Zoë \\\"q\\\" « 李 » \\uD83D\\uDE00 \\\\ \\n\\t\\u0001\",\"ok\":true,\"ratio\":1.25,\"shipped_at\":null},\"source\":{\"system\":\"postgresql\",\"name\":\"retail\",\"schema\":\"public\",\"table\":\"orders\",\"position\":\"lsn=0/16B2D8\",\"seq\":[1487576,1],\"snapshot\":true,\"ts_ms\":1700000000123},\"ts_ms\":1700000000200,\"columns\":[{\"name\":\"order_id\",\"type\":\"int64\"},{\"name\":\"total\",\"type\":\"decimal(12,2)\",\"optional\":true},{\"name\":\"note\",\"type\":\"string\",\"optional\":true},{\"name\":\"ok\",\"type\":\"boolean\",\"optional\":true},{\"name\":\"ratio\",\"type\":\"float64\",\"optional\":true},{\"name\":\"shipped_at\",\"type\":\"timestamp\",\"optional\":true}]}");
    }

    @Test
    void leavesOutWhatTheSourceDoesNotKnowAndWritesADeleteAsBeforeImage() {
        SourceInfo source = new SourceInfo("file", null, null, "ls", "t", null, new long[] {1, 2}, false, 5);
        ChangeEvent delete = new ChangeEvent(Op.DELETE, Map.of("id", 1), Map.of("id", 1), null, source, 6,
                List.of(new Column("id", LogicalType.INT32, false)));

        assertThat(utf8(ChangeEventCodec.encodeValue(delete))).isEqualTo("{\"op\":\"d\",\"before\":{\"id\":1},\"after\":null,\"source\":{\"system\":\"file\",\"schema\":\"ls\",\"table\":\"t\",\"seq\":[1,2],\"snapshot\":false,\"ts_ms\":5},\"ts_ms\":6,\"columns\":[{\"name\":\"id\",\"type\":\"int32\"}]}");
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
