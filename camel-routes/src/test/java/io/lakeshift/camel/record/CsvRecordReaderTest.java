package io.lakeshift.camel.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.envelope.LogicalType;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

    record Row(long line, String raw, String malformed, List<String> values) {
    }

    static RecordLayout csv(boolean header, char delimiter, String nullMarker, List<ColumnSpec> columns, int maxRecordChars) {
        return new RecordLayout(RecordFormat.CSV, StandardCharsets.UTF_8, header, delimiter, '"', nullMarker, columns,
                List.of(), null, Map.of(), maxRecordChars);
    }

    static List<Row> read(String text, RecordLayout layout) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (RecordReader reader = RecordReaders.open(new StringReader(text), layout)) {
            while (reader.next()) {
                rows.add(new Row(reader.line(), reader.raw(), reader.malformed(),
                        reader.malformed() == null ? new ArrayList<>(java.util.Arrays.asList(reader.values())) : List.of()));
            }
        }
        return rows;
    }

    @Test
    void quotedDelimitersEmbeddedNewlinesAndDoubledQuotes() throws Exception {
        String text = "\uFEFFid,name,note\r\n"
                + "1,\"Smith, Ann\",plain\r\n"
                + "2,Bob,\"two\nlines, \"\"quoted\"\"\"\r\n"
                + "\r\n"
                + "3,,\"\"\n";
        List<Row> rows = read(text, csv(true, ',', "", List.of(), 1024));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).values()).containsExactly("1", "Smith, Ann", "plain");
        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(1).values()).containsExactly("2", "Bob", "two\nlines, \"quoted\"");
        assertThat(rows.get(1).line()).isEqualTo(3);
        assertThat(rows.get(1).raw()).isEqualTo("2,Bob,\"two\nlines, \"\"quoted\"\"\"");
        assertThat(rows.get(2).line()).as("the blank line 5 is skipped, the quoted newline counted").isEqualTo(6);
        assertThat(rows.get(2).values()).as("unquoted empty is null, quoted empty is an empty string").containsExactly("3", null, "");
    }

    @Test
    void headerNamesMapDeclaredColumnsInAnyOrder() throws Exception {
        List<ColumnSpec> declared = List.of(new ColumnSpec("b", LogicalType.INT32, false, 0, null, -1, -1),
                new ColumnSpec("a", LogicalType.STRING, false, 0, null, -1, -1));
        List<Row> rows = read("a;b;c\nx;1;ignored\n", csv(true, ';', "", declared, 1024));
        assertThat(rows.get(0).values()).containsExactly("1", "x");
    }

    @Test
    void nullMarkerAndWrongFieldCount() throws Exception {
        List<Row> rows = read("k\tv\n1\t\\N\n2\t\n3\n", csv(true, '\t', "\\N", List.of(), 1024));
        assertThat(rows.get(0).values()).containsExactly("1", null);
        assertThat(rows.get(1).values()).containsExactly("2", "");
        assertThat(rows.get(2).malformed()).isEqualTo("1 fields where 2 are expected");
        assertThat(rows.get(2).raw()).isEqualTo("3");
    }

    @Test
    void malformedQuotingIsReportedAndReadingResumesOnTheNextLine() throws Exception {
        List<Row> rows = read("a,b\n\"x\"y,1\n2,3\n4,\"never closed\n5,6\n", csv(true, ',', "", List.of(), 1024));
        assertThat(rows.get(0).malformed()).startsWith("unexpected character 'y' after the closing quote");
        assertThat(rows.get(1).values()).containsExactly("2", "3");
        assertThat(rows.get(1).line()).isEqualTo(3);
        assertThat(rows.get(2).malformed()).isEqualTo("quoted field not closed before the end of the input");
        assertThat(rows.get(2).line()).isEqualTo(4);
        assertThat(rows).hasSize(3);
    }

    @Test
    void overlongRecordsAreCutAndSkipped() throws Exception {
        String longField = "x".repeat(200_000);
        List<Row> rows = read("a,b\n1," + longField + "\n2,ok\n", csv(true, ',', "", List.of(), 100_000));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).malformed()).isEqualTo("record longer than 100000 characters");
        assertThat(rows.get(0).raw()).hasSize(100_000);
        assertThat(rows.get(1).values()).containsExactly("2", "ok");
        assertThat(rows.get(1).line()).isEqualTo(3);
    }

    @Test
    void manyRecordsAcrossBufferBoundaries() throws Exception {
        StringBuilder sb = new StringBuilder("id,text\n");
        for (int i = 1; i <= 20_000; i++) {
            sb.append(i).append(",\"line ").append(i).append(",\nsecond\"\n");
        }
        List<Row> rows = read(sb.toString(), csv(true, ',', "", List.of(), 1024));
        assertThat(rows).hasSize(20_000);
        assertThat(rows.get(19_999).values()).containsExactly("20000", "line 20000,\nsecond");
        assertThat(rows.get(19_999).line()).isEqualTo(2 + 2 * 19_999);
    }

    @Test
    void headerProblemsMakeTheInputUnreadable() {
        List<ColumnSpec> declared = List.of(new ColumnSpec("missing", LogicalType.STRING, false, 0, null, -1, -1));
        assertThatThrownBy(() -> read("a,b\n1,2\n", csv(true, ',', "", declared, 1024)))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("no column 'missing'");
        assertThatThrownBy(() -> read("", csv(true, ',', "", List.of(), 1024)))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("no header");
    }
}
