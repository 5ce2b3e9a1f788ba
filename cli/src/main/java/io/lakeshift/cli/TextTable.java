package io.lakeshift.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** A plain-text table with aligned columns, for terminals and for grep. */
public final class TextTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String GAP = "  ";
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9,.]*( [KMG]?i?B| ms| s)?");

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
        out.print(render());
        out.flush();
    }

    /** The table as lines of text, each ending in a newline; numbers right-aligned. */
    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, widths, false);
        for (List<String> row : rows) {
            line(sb, row, widths, true);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths, boolean alignNumbers) {
        int start = sb.length();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            boolean number = alignNumbers && NUMBER.matcher(cell).matches();
            sb.append(number ? pad + cell : cell + (i < cells.size() - 1 ? pad : ""));
            if (i < cells.size() - 1) {
                sb.append(GAP);
            }
        }
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
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
