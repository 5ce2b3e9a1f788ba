package io.lakeshift.camel.record;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CSV records: fields by position, or by the header's names when the layout has a header. An
 * unquoted field equal to the null marker is null; a quoted one never is. A record with another
 * number of fields than the header (or the declared columns) is malformed.
 */
final class CsvRecordReader implements RecordReader {

    private final CsvTokenizer tokenizer;
    private final RecordSchema schema;
    private final String nullMarker;
    /** Input field position to schema field index, -1 for an input field the schema does not use. */
    private final int[] target;
    private final String[] values;
    private String malformed;

    CsvRecordReader(Reader in, RecordLayout layout) throws IOException, UnreadableInputException {
        this.tokenizer = new CsvTokenizer(in, layout.delimiter(), layout.quote(), layout.maxRecordChars());
        this.nullMarker = layout.nullMarker();
        List<ColumnSpec> inputColumns;
        if (layout.header()) {
            List<String> names = readHeader();
            inputColumns = layout.columns().isEmpty() ? names.stream().map(ColumnSpec::text).toList() : withOperation(layout);
            this.schema = schemaOf(layout, inputColumns, "the header");
            this.target = new int[names.size()];
            Arrays.fill(target, -1);
            for (int f = 0; f < schema.fieldCount(); f++) {
                String name = schema.fieldNames().get(f);
                int position = names.indexOf(name);
                if (position < 0) {
                    throw new UnreadableInputException("the header has no column '" + name + "' (it has " + names + ")");
                }
                target[position] = f;
            }
        } else {
            inputColumns = layout.columns();
            this.schema = schemaOf(layout, inputColumns, "the declared columns");
            this.target = new int[inputColumns.size()];
            for (int p = 0; p < inputColumns.size(); p++) {
                target[p] = schema.fieldIndex(inputColumns.get(p).name());
            }
        }
        this.values = new String[schema.fieldCount()];
    }

    /** The declared columns, plus the operation column when only the header names it. */
    private static List<ColumnSpec> withOperation(RecordLayout layout) {
        List<ColumnSpec> columns = new ArrayList<>(layout.columns());
        if (layout.hasOperationColumn() && columns.stream().noneMatch(c -> c.name().equals(layout.operationColumn()))) {
            columns.add(ColumnSpec.text(layout.operationColumn()));
        }
        return columns;
    }

    private List<String> readHeader() throws IOException, UnreadableInputException {
        if (!tokenizer.next()) {
            throw new UnreadableInputException("the input is empty: no header line");
        }
        if (tokenizer.error() != null) {
            throw new UnreadableInputException("the header line is malformed: " + tokenizer.error());
        }
        List<String> names = new ArrayList<>(tokenizer.fieldCount());
        for (int i = 0; i < tokenizer.fieldCount(); i++) {
            String name = tokenizer.field(i).strip();
            if (names.contains(name)) {
                throw new UnreadableInputException("the header names column '" + name + "' twice");
            }
            names.add(name);
        }
        return names;
    }

    private static RecordSchema schemaOf(RecordLayout layout, List<ColumnSpec> columns, String where)
            throws UnreadableInputException {
        try {
            return RecordSchema.of(layout, columns);
        } catch (IllegalArgumentException e) {
            throw new UnreadableInputException(where + " has " + e.getMessage());
        }
    }

    @Override
    public RecordSchema schema() {
        return schema;
    }

    @Override
    public boolean next() throws IOException {
        if (!tokenizer.next()) {
            return false;
        }
        malformed = tokenizer.error();
        if (malformed != null) {
            return true;
        }
        int count = tokenizer.fieldCount();
        if (count != target.length) {
            malformed = count + " fields where " + target.length + " are expected";
            return true;
        }
        for (int p = 0; p < count; p++) {
            int f = target[p];
            if (f >= 0) {
                String text = tokenizer.field(p);
                values[f] = !tokenizer.quoted(p) && text.equals(nullMarker) ? null : text;
            }
        }
        return true;
    }

    @Override
    public long line() {
        return tokenizer.line();
    }

    @Override
    public String raw() {
        return tokenizer.raw();
    }

    @Override
    public String malformed() {
        return malformed;
    }

    @Override
    public String[] values() {
        return values;
    }

    @Override
    public void close() {
        // the caller owns the underlying reader
    }
}
