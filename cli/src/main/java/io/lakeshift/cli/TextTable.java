package io.lakeshift.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table with aligned columns, for terminals and for grep. */
public final class TextTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    public TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(TextTable::text).toList());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(out, headers, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            sb.append(cell);
            if (i < cells.size() - 1) {
                sb.append(" ".repeat(widths[i] - cell.length())).append(GAP);
            }
        }
        out.println(sb.toString().stripTrailing());
    }

    public static String text(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Instant instant) {
            return TIME.format(instant);
        }
        if (value instanceof Boolean bool) {
            return bool ? "yes" : "no";
        }
        String text = value.toString().replaceAll("\\s+", " ");
        return text.isEmpty() ? "-" : text;
    }
}
