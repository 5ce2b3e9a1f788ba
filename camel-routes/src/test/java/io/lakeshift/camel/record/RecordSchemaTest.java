package io.lakeshift.camel.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSchemaTest {

    private static ColumnSpec col(String name, String type) {
        return new ColumnSpec(name, LogicalType.parse(type), false, 0, null, -1, -1);
    }

    private static RecordLayout layout(List<ColumnSpec> columns, List<String> key, String operationColumn) {
        return new RecordLayout(RecordFormat.CSV, StandardCharsets.UTF_8, false, ',', '"', "", columns, key, operationColumn,
                RecordSchema.defaultOperationCodes(), 1024);
    }

    @Test
    void convertsTextIntoEnvelopeValues() throws Exception {
        List<ColumnSpec> columns = List.of(col("id", "int64"), col("price", "decimal(8,2)"), col("small", "int16"),
                col("at", "timestamp"), col("tz", "timestamptz"), col("day", "date"), col("t", "time"), col("ok", "boolean"),
                col("f", "float64"), col("u", "uuid"), col("b", "binary"), col("j", "json"),
                new ColumnSpec("de", LogicalType.DATE, false, 0, "dd.MM.uuuu", -1, -1));
        RecordSchema schema = RecordSchema.of(layout(columns, List.of("id"), null), columns);
        Object[] out = new Object[columns.size()];
        Op op = schema.convert(new String[] {" 42 ", "3.5", "-7", "2026-01-02 03:04:05.1", "2026-01-02T03:04:05+02:00",
            "2026-01-02", "10:15", "Y", "1e3", "0B0C1D2E-3F40-4152-8364-758697A8B9CA", "AP8=", "{\"k\": [1]}", "28.02.2026"}, out);
        assertThat(op).isEqualTo(Op.CREATE);
        assertThat(out).containsExactly(42L, "3.50", -7, "2026-01-02T03:04:05.100000", "2026-01-02T01:04:05.000000Z",
                "2026-01-02", "10:15:00.000000", true, 1000.0, "0b0c1d2e-3f40-4152-8364-758697a8b9ca", "AP8=", "{\"k\": [1]}",
                "2026-02-28");
        assertThat(schema.envelopeColumns().get(0).optional()).as("key columns are required").isFalse();
        assertThat(schema.envelopeColumns().get(1).optional()).isTrue();
    }

    @Test
    void rejectsWhatDoesNotFitWithAReasonNamingTheColumn() {
        List<ColumnSpec> columns = List.of(col("id", "int32"), col("price", "decimal(5,2)"),
                new ColumnSpec("name", LogicalType.STRING, true, 3, null, -1, -1));
        RecordSchema schema = RecordSchema.of(layout(columns, List.of("id"), null), columns);
        Object[] out = new Object[3];
        assertThatThrownBy(() -> schema.convert(new String[] {"x", "1", "abc"}, out))
                .hasMessage("column 'id': 'x' is not a valid int32");
        assertThatThrownBy(() -> schema.convert(new String[] {"", "1", "abc"}, out))
                .hasMessage("column 'id' is required but empty");
        assertThatThrownBy(() -> schema.convert(new String[] {"1", "1.234", "abc"}, out))
                .hasMessageContaining("more than 2 decimal places");
        assertThatThrownBy(() -> schema.convert(new String[] {"1", "1234.5", "abc"}, out))
                .hasMessageContaining("more than 3 digits before the decimal point");
        assertThatThrownBy(() -> schema.convert(new String[] {"1", "1", "abcd"}, out))
                .hasMessage("column 'name': 4 characters, longer than maxLength 3");
        assertThatThrownBy(() -> schema.convert(new String[] {"1", "1", null}, out))
                .hasMessage("column 'name' is required but empty");
        assertThatThrownBy(() -> schema.convert(new String[] {"99999999999", "1", "a"}, out))
                .hasMessageContaining("out of range");
    }

    @Test
    void operationColumnIsReadButNotPartOfTheRow() throws Exception {
        List<ColumnSpec> columns = List.of(col("op", "string"), col("id", "int64"), col("v", "string"));
        RecordSchema schema = RecordSchema.of(layout(columns, List.of("id"), "op"), columns);
        assertThat(schema.fieldNames()).containsExactly("id", "v", "op");
        assertThat(schema.envelopeColumns()).extracting(c -> c.name()).containsExactly("id", "v");
        Object[] out = new Object[2];
        assertThat(schema.convert(new String[] {"1", "a", "D"}, out)).isEqualTo(Op.DELETE);
        assertThat(schema.convert(new String[] {"1", "a", "u"}, out)).isEqualTo(Op.UPDATE);
        assertThatThrownBy(() -> schema.convert(new String[] {"1", "a", "X"}, out)).hasMessageContaining("unknown code 'X'");
    }

    @Test
    void fixedWidthAndJsonLines() throws Exception {
        List<ColumnSpec> fixed = List.of(new ColumnSpec("id", LogicalType.INT32, true, 0, null, 0, 5),
                new ColumnSpec("name", LogicalType.STRING, false, 0, null, 5, 10),
                new ColumnSpec("amount", LogicalType.decimal(9, 2), false, 0, null, 15, 9));
        RecordLayout fw = new RecordLayout(RecordFormat.FIXED_WIDTH, StandardCharsets.UTF_8, false, ',', '"', "", fixed,
                List.of("id"), null, RecordSchema.defaultOperationCodes(), 1024);
        try (RecordReader r = RecordReaders.open(new StringReader("00042Ann         12.50\n\n   43Bob\n"), fw)) {
            assertThat(r.next()).isTrue();
            assertThat(r.values()).containsExactly("00042", "Ann", "12.50");
            assertThat(r.next()).isTrue();
            assertThat(r.line()).isEqualTo(3);
            assertThat(r.values()).containsExactly("43", "Bob", null);
            assertThat(r.next()).isFalse();
        }
        List<ColumnSpec> json = List.of(col("id", "int64"), col("doc", "json"), col("price", "decimal(10,3)"));
        RecordLayout jl = new RecordLayout(RecordFormat.JSONL, StandardCharsets.UTF_8, false, ',', '"', "", json,
                List.of("id"), "op", RecordSchema.defaultOperationCodes(), 1024);
        try (RecordReader r = RecordReaders.open(new StringReader("{\"id\":1,\"doc\":{\"a\":[1]},\"price\":1.10,\"op\":\"u\"}\n"
                + "[1]\n{\"id\":2,\"price\":{\"x\":1}}\n{bad\n"), jl)) {
            assertThat(r.next()).isTrue();
            assertThat(r.values()).containsExactly("1", "{\"a\":[1]}", "1.10", "u");
            assertThat(r.next()).isTrue();
            assertThat(r.malformed()).isEqualTo("not a JSON object");
            assertThat(r.next()).isTrue();
            assertThat(r.malformed()).isEqualTo("field 'price' is a JSON object, expected a scalar");
            assertThat(r.next()).isTrue();
            assertThat(r.malformed()).startsWith("not valid JSON");
            assertThat(r.line()).isEqualTo(4);
        }
    }
}
