package io.lakeshift.camel.record;

import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The fields a reader must supply for one input and how they become a row image: the row's
 * columns (typed, validated) and, when the layout has one, the operation column after them.
 *
 * <p>Readers fill a {@code String[]} indexed like {@link #fieldNames()}; {@link #convert} validates it
 * against the declared types, required columns and lengths and returns the operation. Key columns are
 * required whatever their declaration says. Instances are immutable and thread-safe.
 */
public final class RecordSchema {

    private final List<ColumnSpec> columns;
    private final List<String> fieldNames;
    private final ValueParsers.ValueParser[] parsers;
    private final boolean[] required;
    private final boolean[] blankIsNull;
    private final int[] keyIndexes;
    private final int operationIndex;
    private final String operationColumn;
    private final Map<String, Op> operationCodes;

    private RecordSchema(List<ColumnSpec> columns, List<String> key, String operationColumn, Map<String, Op> operationCodes) {
        this.columns = List.copyOf(columns);
        this.operationColumn = operationColumn;
        this.operationCodes = Map.copyOf(operationCodes);
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(c.name()));
        if (operationColumn != null) {
            names.add(operationColumn);
        }
        this.fieldNames = List.copyOf(names);
        this.operationIndex = operationColumn == null ? -1 : columns.size();
        this.parsers = new ValueParsers.ValueParser[columns.size()];
        this.required = new boolean[columns.size()];
        this.blankIsNull = new boolean[columns.size()];
        this.keyIndexes = new int[key.isEmpty() ? columns.size() : key.size()];
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            parsers[i] = ValueParsers.of(c);
            required[i] = c.required() || key.contains(c.name());
            blankIsNull[i] = c.type().kind() != LogicalType.Kind.STRING;
        }
        for (int k = 0; k < keyIndexes.length; k++) {
            keyIndexes[k] = key.isEmpty() ? k : names.indexOf(key.get(k));
        }
    }

    /**
     * The schema of an input whose fields are {@code inputColumns} (in input order, the operation
     * column among them when the layout has one).
     *
     * @throws IllegalArgumentException naming a key or operation column the input lacks
     */
    public static RecordSchema of(RecordLayout layout, List<ColumnSpec> inputColumns) {
        List<ColumnSpec> rowColumns = new ArrayList<>();
        boolean operationSeen = false;
        for (ColumnSpec c : inputColumns) {
            if (c.name().equals(layout.operationColumn())) {
                operationSeen = true;
            } else {
                rowColumns.add(c);
            }
        }
        if (layout.hasOperationColumn() && !operationSeen && layout.format() != RecordFormat.JSONL) {
            throw new IllegalArgumentException("no operation column '" + layout.operationColumn() + "'");
        }
        List<String> names = rowColumns.stream().map(ColumnSpec::name).toList();
        for (String k : layout.key()) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException("no key column '" + k + "'");
            }
        }
        return new RecordSchema(rowColumns, layout.key(), layout.operationColumn(), layout.operationCodes());
    }

    /** The row's columns, in order: what {@link #convert} fills and the envelope declares. */
    public List<ColumnSpec> columns() {
        return columns;
    }

    /** Names of the fields a reader supplies: the row's columns, then the operation column if any. */
    public List<String> fieldNames() {
        return fieldNames;
    }

    public int fieldCount() {
        return fieldNames.size();
    }

    /** Index of a field by name, or -1. */
    public int fieldIndex(String name) {
        return fieldNames.indexOf(name);
    }

    /** Indexes into {@link #columns()} of the key columns (every column when no key is declared). */
    public int[] keyIndexes() {
        return keyIndexes.clone();
    }

    /** The envelope's column declarations. */
    public List<Column> envelopeColumns() {
        List<Column> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            out.add(new Column(columns.get(i).name(), columns.get(i).type(), !required[i]));
        }
        return out;
    }

    /**
     * Validates and converts one record.
     *
     * @param texts field values as read (null for null or absent), indexed like {@link #fieldNames()}
     * @param values receives the row's values, indexed like {@link #columns()}
     * @return the record's operation
     * @throws RejectedRecordException with the first thing that is wrong
     */
    public Op convert(String[] texts, Object[] values) throws RejectedRecordException {
        for (int i = 0; i < parsers.length; i++) {
            String text = texts[i];
            if (text == null || (blankIsNull[i] && text.isBlank())) {
                if (required[i]) {
                    throw new RejectedRecordException("column '" + columns.get(i).name() + "' is required but empty");
                }
                values[i] = null;
            } else {
                values[i] = parsers[i].parse(text);
            }
        }
        if (operationIndex < 0) {
            return Op.CREATE;
        }
        String code = texts[operationIndex];
        if (code == null || code.isBlank()) {
            throw new RejectedRecordException("operation column '" + operationColumn + "' is empty");
        }
        Op op = operationCodes.get(code.trim());
        if (op == null) {
            throw new RejectedRecordException("operation column '" + operationColumn + "': unknown code '" + code.trim()
                    + "' (known: " + new TreeSet<>(operationCodes.keySet()) + ")");
        }
        return op;
    }

    /** Default operation codes: c/u/d as in the envelope, and I/U/D as many legacy extracts write them. */
    public static Map<String, Op> defaultOperationCodes() {
        Map<String, Op> codes = new HashMap<>();
        codes.put("c", Op.CREATE);
        codes.put("u", Op.UPDATE);
        codes.put("d", Op.DELETE);
        codes.put("I", Op.CREATE);
        codes.put("U", Op.UPDATE);
        codes.put("D", Op.DELETE);
        return codes;
    }
}
