package io.lakeshift.cli.tables;

import java.util.ArrayList;
import java.util.List;

/** An aligned text table for terminal output; numbers right-aligned. */
final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    TextTable add(Object... values) {
        List<String> row = new ArrayList<>();
        for (Object v : values) {
            row.add(v == null ? "-" : v.toString());
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, widths);
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        sb.append('\n');
        for (List<String> row : rows) {
            line(sb, row, widths);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            boolean numeric = c.matches("-?[0-9][0-9,.]*( [KMG]?B)?");
            String padded = numeric ? " ".repeat(widths[i] - c.length()) + c : c + " ".repeat(widths[i] - c.length());
            sb.append(i == 0 ? "" : " | ").append(padded);
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }
}
