package io.lakeshift.camel.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.envelope.SourceInfo;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeWriterTest {

    private final SourceTable table = SourceTable.of("file", "drops", null, "ls", "retail.orders");
    private final List<Column> columns = List.of(
            new Column("id", LogicalType.INT64, false),
            new Column("amount", LogicalType.decimal(12, 2), true),
            new Column("note", LogicalType.STRING, true),
            new Column("ok", LogicalType.BOOLEAN, true),
            new Column("qty", LogicalType.INT32, true),
            new Column("ratio", LogicalType.FLOAT64, true));
    private final EnvelopeWriter writer = new EnvelopeWriter(table, columns, new int[] {0});

    @Test
    void writesTheCodecsExactBytesForAnInsert() {
        Object[] values = {42L, "10.50", "Zoë \"quoted\" «», 李 \uD83D\uDE00 \\ \n\t\r\b\f\u0001/", true, 7, 1.25};
        byte[] value = writer.value(Op.CREATE, values, "orders.csv:3", 5, 3, 1_700_000_000_000L, 1_700_000_000_123L);
        byte[] key = writer.key(values);

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 42L);
        row.put("amount", "10.50");
        row.put("note", "Zoë \"quoted\" «», 李 \uD83D\uDE00 \\ \n\t\r\b\f\u0001/");
        row.put("ok", true);
        row.put("qty", 7);
        row.put("ratio", 1.25);
        ChangeEvent expected = new ChangeEvent(Op.CREATE, Map.of("id", 42L), null, row,
                new SourceInfo("file", "drops", null, "retail", "orders", "orders.csv:3", new long[] {5, 3}, false, 1_700_000_000_000L),
                1_700_000_000_123L, columns);

        assertThat(new String(value, StandardCharsets.UTF_8))
                .isEqualTo(new String(ChangeEventCodec.encodeValue(expected), StandardCharsets.UTF_8));
        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("{\"id\":42}");
        ChangeEvent decoded = ChangeEventCodec.decode(key, value);
        assertThat(decoded.op()).isEqualTo(Op.CREATE);
        assertThat(decoded.source()).isEqualTo(expected.source());
        assertThat(decoded.columns()).isEqualTo(columns);
        assertThat(decoded.after()).containsEntry("amount", "10.50").containsEntry("note", "Zoë \"quoted\" «», 李 \uD83D\uDE00 \\ \n\t\r\b\f\u0001/")
                .containsEntry("ratio", new java.math.BigDecimal("1.25"));
    }

    @Test
    void writesADeleteWithTheRowAsBeforeImage() {
        Object[] values = {1L, null, null, null, null, null};
        ChangeEvent decoded = ChangeEventCodec.decode(writer.key(values),
                writer.value(Op.DELETE, values, "orders.csv:9", 1, 9, 0, 0));
        assertThat(decoded.op()).isEqualTo(Op.DELETE);
        assertThat(decoded.after()).isNull();
        assertThat(decoded.before()).containsEntry("id", 1).containsEntry("amount", null);
    }

    @Test
    void reusesItsBufferWithoutLeakingOneRecordIntoTheNext() {
        Object[] first = {1L, "1.00", "a long note that is longer than the next one", null, null, null};
        Object[] second = {2L, "2.00", "b", null, null, null};
        writer.value(Op.CREATE, first, "p:1", 1, 1, 0, 0);
        byte[] value = writer.value(Op.UPDATE, second, "p:2", 1, 2, 0, 0);
        ChangeEvent decoded = ChangeEventCodec.decode(writer.key(second), value);
        assertThat(decoded.op()).isEqualTo(Op.UPDATE);
        assertThat(decoded.after()).containsEntry("note", "b");
        assertThat(decoded.key()).containsEntry("id", 2);
    }
}
