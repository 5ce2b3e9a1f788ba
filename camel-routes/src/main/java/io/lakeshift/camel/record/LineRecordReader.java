package io.lakeshift.camel.record;

import java.io.IOException;
import java.io.Reader;

/**
 * A record per line (fixed-width, JSON Lines): reads the lines in constant memory, reports an
 * over-long line as malformed, and leaves splitting a line into fields to the format.
 */
abstract class LineRecordReader implements RecordReader {

    private final LineReader lines;
    private final RecordSchema schema;
    protected final String[] values;
    private String raw;
    protected String malformed;

    /** @param columnsAre how an error in the declared columns starts, e.g. "the layout has" */
    LineRecordReader(Reader in, RecordLayout layout, String columnsAre) throws UnreadableInputException {
        this.lines = new LineReader(in, layout.maxRecordChars());
        try {
            this.schema = RecordSchema.of(layout, layout.columns());
        } catch (IllegalArgumentException e) {
            throw new UnreadableInputException(columnsAre + " " + e.getMessage());
        }
        this.values = new String[schema.fieldCount()];
    }

    /**
     * Fills {@link #values} from one line (or sets {@link #malformed}).
     *
     * @param truncated the line was longer than the layout allows; {@link #malformed} says so already
     */
    abstract void split(String line, boolean truncated);

    @Override
    public final boolean next() throws IOException {
        raw = lines.next();
        if (raw == null) {
            return false;
        }
        boolean truncated = lines.truncated();
        malformed = truncated ? "line longer than " + raw.length() + " characters" : null;
        split(raw, truncated);
        return true;
    }

    @Override
    public RecordSchema schema() {
        return schema;
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
