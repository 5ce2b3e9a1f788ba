package io.lakeshift.camel.record;

import java.io.Reader;

/**
 * Fixed-width records: one per line, each field at its declared offset and length, surrounding
 * spaces stripped; a blank field is null. A line shorter than the layout leaves its missing fields
 * null (editors strip trailing blanks); a required column then rejects the record.
 */
final class FixedWidthRecordReader extends LineRecordReader {

    private final int[] offsets;
    private final int[] lengths;

    FixedWidthRecordReader(Reader in, RecordLayout layout) throws UnreadableInputException {
        super(in, layout, "the layout has");
        RecordSchema schema = schema();
        this.offsets = new int[schema.fieldCount()];
        this.lengths = new int[schema.fieldCount()];
        for (ColumnSpec c : layout.columns()) {
            int f = schema.fieldIndex(c.name());
            offsets[f] = c.offset();
            lengths[f] = c.length();
        }
    }

    /** A truncated line is split too: its fields may still tell the operator which record it was. */
    @Override
    void split(String raw, boolean truncated) {
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
    }
}
