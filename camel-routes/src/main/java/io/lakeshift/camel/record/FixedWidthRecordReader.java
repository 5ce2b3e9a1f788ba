package io.lakeshift.camel.record;

import java.io.IOException;
import java.io.Reader;

/**
 * Fixed-width records: one per line, each field at its declared offset and length, surrounding
 * spaces stripped; a blank field is null. A line shorter than the layout leaves its missing fields
 * null (editors strip trailing blanks); a required column then rejects the record.
 */
final class FixedWidthRecordReader implements RecordReader {

    private final LineReader lines;
    private final RecordSchema schema;
    private final int[] offsets;
    private final int[] lengths;
    private final String[] values;
    private String raw;
    private String malformed;

    FixedWidthRecordReader(Reader in, RecordLayout layout) throws UnreadableInputException {
        this.lines = new LineReader(in, layout.maxRecordChars());
        try {
            this.schema = RecordSchema.of(layout, layout.columns());
        } catch (IllegalArgumentException e) {
            throw new UnreadableInputException("the layout has " + e.getMessage());
        }
        this.offsets = new int[schema.fieldCount()];
        this.lengths = new int[schema.fieldCount()];
        for (ColumnSpec c : layout.columns()) {
            int f = schema.fieldIndex(c.name());
            offsets[f] = c.offset();
            lengths[f] = c.length();
        }
        this.values = new String[schema.fieldCount()];
    }

    @Override
    public RecordSchema schema() {
        return schema;
    }

    @Override
    public boolean next() throws IOException {
        raw = lines.next();
        if (raw == null) {
            return false;
        }
        malformed = lines.truncated() ? "line longer than " + raw.length() + " characters" : null;
        int length = raw.length();
        for (int f = 0; f < values.length; f++) {
            int start = offsets[f];
            if (start >= length) {
                values[f] = null;
                continue;
            }
            String text = raw.substring(start, Math.min(length, start + lengths[f])).strip();
            values[f] = text.isEmpty() ? null : text;
        }
        return true;
    }

    @Override
    public long line() {
        return lines.lineNumber();
    }

    @Override
    public String raw() {
        return raw;
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
