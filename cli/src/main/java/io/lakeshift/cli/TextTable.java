package io.lakeshift.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one renderer of text tables in the CLI: aligned columns, for terminals and for grep. Plain
 * tables separate columns by spaces and right-align numbers; {@link #ruled ruled} ones (query
 * results) separate them by {@code |}, underline the header and leave every value as it is.
 */
public final class TextTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String GAP = "  ";
    private static final String RULED_GAP = " | ";
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9,.]*( [KMG]?i?B| ms| s)?");

    private final List<String> headers;
    private final boolean ruled;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... headers) {
        this(List.of(headers), false);
    }

    private TextTable(List<String> headers, boolean ruled) {
        this.headers = List.copyOf(headers);
        this.ruled = ruled;
    }

    /** A table whose columns are separated by {@code |}, with a rule under the header. */
    public static TextTable ruled(List<String> headers) {
        return new TextTable(headers, true);
    }

    /** Adds a row of cells taken as they are (no {@code -} for empty, no number alignment in a ruled table). */
    public TextTable rowOfText(List<String> cells) {
        checkWidth(cells.size());
        rows.add(List.copyOf(cells));
        return this;
    }

    private void checkWidth(int cells) {
        if (cells != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells + " cells for " + headers.size() + " columns");
        }
    }

    public TextTable row(Object... cells) {
        checkWidth(cells.length);
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
        if (ruled) {
            for (int i = 0; i < widths.length; i++) {
                sb.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
            }
            sb.append('\n');
        }
        for (List<String> row : rows) {
            line(sb, row, widths, !ruled);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] widths, boolean alignNumbers) {
        int start = sb.length();
        String gap = ruled ? RULED_GAP : GAP;
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            boolean number = alignNumbers && NUMBER.matcher(cell).matches();
            sb.append(number ? pad + cell : cell + (i < cells.size() - 1 ? pad : ""));
            if (i < cells.size() - 1) {
                sb.append(gap);
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
