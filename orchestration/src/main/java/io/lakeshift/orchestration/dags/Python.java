package io.lakeshift.orchestration.dags;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Python source literals, so that no configured value can break out of its string. */
final class Python {

    private Python() {
    }

    static String str(String value) {
        StringBuilder sb = new StringBuilder("\"");
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    // control characters and lone surrogates (which UTF-8 cannot carry) as escapes
                    if (cp < 0x20 || cp == 0x7f || (cp <= 0xffff && Character.isSurrogate((char) cp))) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    static String list(List<String> values) {
        return values.stream().map(Python::str).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A dict literal in the map's iteration order (callers pass a sorted map). */
    static String dict(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> str(e.getKey()) + ": " + str(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** Text for a {@code #} comment: one line. */
    static String comment(String text) {
        return text.replaceAll("[\\r\\n\\u2028\\u2029\\u0085]+", " ");
    }
}
