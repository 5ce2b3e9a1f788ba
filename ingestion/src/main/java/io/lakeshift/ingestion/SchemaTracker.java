package io.lakeshift.ingestion;

import io.lakeshift.core.envelope.Column;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Notices when a captured table's columns change while streaming. Added columns and changed types
 * reach the envelope's {@code columns} by themselves (Debezium follows the source's DDL); a
 * dropped or renamed column is worth telling an operator, because the lakehouse table keeps it.
 * Not thread-safe: used by the engine's handler thread.
 */
final class SchemaTracker {

    private final Map<String, List<Column>> current = new HashMap<>();

    /**
     * @param columns the columns of a change's row images; the same instance per table version
     * @return a description of the change when this table's columns differ from the last seen
     */
    Optional<String> observe(String table, List<Column> columns) {
        List<Column> previous = current.put(table, columns);
        if (previous == null || previous == columns || previous.equals(columns)) {
            return Optional.empty();
        }
        Map<String, Column> before = byName(previous);
        Map<String, Column> after = byName(columns);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        after.forEach((name, c) -> {
            Column old = before.get(name);
            if (old == null) {
                added.add(name + " " + c.type());
            } else if (!old.equals(c)) {
                changed.add(name + " " + describe(old) + " -> " + describe(c));
            }
        });
        before.keySet().stream().filter(n -> !after.containsKey(n)).forEach(gone::add);
        if (added.isEmpty() && changed.isEmpty() && gone.isEmpty()) {
            return Optional.empty(); // same columns in another order
        }
        StringBuilder sb = new StringBuilder("schema change on ").append(table).append(':');
        if (!added.isEmpty()) {
            sb.append(" added ").append(added).append(';');
        }
        if (!changed.isEmpty()) {
            sb.append(" changed ").append(changed).append(';');
        }
        if (!gone.isEmpty()) {
            sb.append(" dropped or renamed ").append(gone)
                    .append(" (later changes no longer carry them; rows already captured keep them);");
        }
        sb.setLength(sb.length() - 1);
        return Optional.of(sb.toString());
    }

    /** True when the description reports a column that is gone (dropped or renamed). */
    static boolean lostColumns(String description) {
        return description.contains("dropped or renamed");
    }

    private static String describe(Column c) {
        return c.type() + (c.optional() ? " null" : " not null");
    }

    private static Map<String, Column> byName(List<Column> columns) {
        Map<String, Column> map = new LinkedHashMap<>();
        columns.forEach(c -> map.put(c.name(), c));
        return map;
    }
}
