package io.lakeshift.camel.record;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Splits delimited text into records and fields (RFC 4180: quoted fields may hold delimiters, line
 * breaks and doubled quotes), streaming through a bounded buffer.
 *
 * <p>Written here rather than taken from a CSV library because a dead letter needs what libraries do
 * not expose: the record's raw text, the physical line it starts on (quoted line breaks counted), a
 * reason for a malformed record and recovery at the next line. Fields are kept as ranges of the buffer
 * and turned into strings only when asked for. Empty lines are skipped. Not thread-safe.
 */
final class CsvTokenizer {

    private static final int INITIAL_BUFFER = 64 * 1024;

    /** Thrown by {@link #fill()} when one record does not fit in {@code maxRecordChars}. */
    private static final class RecordTooLong extends Exception {
        RecordTooLong() {
            super(null, null, false, false);
        }
    }

    private final Reader in;
    private final char delimiter;
    private final char quote;
    private final int maxRecordChars;

    private char[] buf = new char[INITIAL_BUFFER];
    private int pos;
    private int limit;
    private boolean eof;
    private long line = 1;

    private int recordStart;
    private int recordEnd;
    private long recordLine;
    private String error;
    private String rawOverride;

    private int fieldStart;
    private int fieldCount;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] quoted = new boolean[16];
    private boolean[] escaped = new boolean[16];

    /**
     * @param quote the quote character, or {@code 0} for none
     */
    CsvTokenizer(Reader in, char delimiter, char quote, int maxRecordChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.quote = quote;
        this.maxRecordChars = maxRecordChars;
    }

    /** Reads the next record; false at the end of the input. */
    boolean next() throws IOException {
        error = null;
        rawOverride = null;
        fieldCount = 0;
        recordEnd = -1;
        while (true) {
            recordStart = pos;
            try {
                if (!ensure()) {
                    return false;
                }
            } catch (RecordTooLong impossible) {
                throw new IllegalStateException(impossible);
            }
            char c = buf[pos];
            if (c != '\n' && c != '\r') {
                break;
            }
            consumeLineEndQuietly();
        }
        recordStart = pos;
        recordLine = line;
        try {
            parseRecord();
            if (recordEnd - recordStart > maxRecordChars) {
                rawOverride = new String(buf, recordStart, maxRecordChars);
                error = "record longer than " + maxRecordChars + " characters";
            }
        } catch (RecordTooLong e) {
            skipOverlongRecord();
        }
        return true;
    }

    long line() {
        return recordLine;
    }

    String error() {
        return error;
    }

    String raw() {
        return rawOverride != null ? rawOverride : new String(buf, recordStart, recordEnd - recordStart);
    }

    int fieldCount() {
        return fieldCount;
    }

    boolean quoted(int i) {
        return quoted[i];
    }

    String field(int i) {
        int s = starts[i];
        int e = ends[i];
        if (!escaped[i]) {
            return new String(buf, s, e - s);
        }
        StringBuilder sb = new StringBuilder(e - s);
        for (int p = s; p < e; p++) {
            char c = buf[p];
            sb.append(c);
            if (c == quote && p + 1 < e && buf[p + 1] == quote) {
                p++;
            }
        }
        return sb.toString();
    }

    private void parseRecord() throws IOException, RecordTooLong {
        while (true) {
            if (quote != 0 && ensure() && buf[pos] == quote) {
                if (!quotedField()) {
                    return;
                }
            } else {
                fieldStart = pos;
                while (ensure()) {
                    char c = buf[pos];
                    if (c == delimiter || c == '\n' || c == '\r') {
                        break;
                    }
                    pos++;
                }
                addField(fieldStart, pos, false, false);
                if (pos >= limit) {
                    recordEnd = pos;
                    return;
                }
                if (buf[pos] != delimiter) {
                    recordEnd = pos;
                    consumeLineEnd();
                    return;
                }
                pos++;
            }
        }
    }

    /** Scans a quoted field; returns true when another field follows on the same record. */
    private boolean quotedField() throws IOException, RecordTooLong {
        pos++;
        fieldStart = pos;
        boolean hasEscapes = false;
        boolean afterCr = false;
        while (true) {
            if (!ensure()) {
                addField(fieldStart, pos, true, hasEscapes);
                recordEnd = pos;
                error = "quoted field not closed before the end of the input";
                return false;
            }
            char c = buf[pos];
            if (c == quote) {
                pos++;
                if (ensure() && buf[pos] == quote) {
                    hasEscapes = true;
                    afterCr = false;
                    pos++;
                    continue;
                }
                addField(fieldStart, pos - 1, true, hasEscapes);
                break;
            }
            if (c == '\r') {
                line++;
                afterCr = true;
            } else {
                if (c == '\n' && !afterCr) {
                    line++;
                }
                afterCr = false;
            }
            pos++;
        }
        if (!ensure()) {
            recordEnd = pos;
            return false;
        }
        char c = buf[pos];
        if (c == delimiter) {
            pos++;
            return true;
        }
        if (c == '\n' || c == '\r') {
            recordEnd = pos;
            consumeLineEnd();
            return false;
        }
        error = "unexpected character '" + c + "' after the closing quote of field " + fieldCount;
        while (ensure() && buf[pos] != '\n' && buf[pos] != '\r') {
            pos++;
        }
        recordEnd = pos;
        if (pos < limit) {
            consumeLineEnd();
        }
        return false;
    }

    private void addField(int start, int end, boolean isQuoted, boolean hasEscapes) {
        if (fieldCount == starts.length) {
            int n = fieldCount * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            quoted = Arrays.copyOf(quoted, n);
            escaped = Arrays.copyOf(escaped, n);
        }
        starts[fieldCount] = start;
        ends[fieldCount] = end;
        quoted[fieldCount] = isQuoted;
        escaped[fieldCount] = hasEscapes;
        fieldCount++;
    }

    private void consumeLineEnd() throws IOException, RecordTooLong {
        char c = buf[pos++];
        line++;
        if (c == '\r' && ensure() && buf[pos] == '\n') {
            pos++;
        }
    }

    private void consumeLineEndQuietly() throws IOException {
        try {
            consumeLineEnd();
        } catch (RecordTooLong e) {
            throw new IllegalStateException("an empty line cannot be too long", e);
        }
    }

    /** Keeps a truncated copy of an overlong record and resumes at the next line break. */
    private void skipOverlongRecord() throws IOException {
        rawOverride = new String(buf, recordStart, Math.min(limit - recordStart, maxRecordChars));
        error = "record longer than " + maxRecordChars + " characters";
        fieldCount = 0;
        while (true) {
            pos = limit;
            recordStart = limit;
            recordEnd = limit;
            boolean more;
            try {
                more = ensure();
            } catch (RecordTooLong impossible) {
                throw new IllegalStateException(impossible);
            }
            if (!more) {
                return;
            }
            for (int p = pos; p < limit; p++) {
                if (buf[p] == '\n' || buf[p] == '\r') {
                    pos = p;
                    recordStart = p;
                    recordEnd = p;
                    consumeLineEndQuietly();
                    return;
                }
            }
        }
    }

    private boolean ensure() throws IOException, RecordTooLong {
        return pos < limit || fill();
    }

    /** Reads more input, first moving the current record to the buffer's start (growing it if needed). */
    private boolean fill() throws IOException, RecordTooLong {
        if (eof) {
            return false;
        }
        if (recordStart > 0) {
            int shift = recordStart;
            System.arraycopy(buf, shift, buf, 0, limit - shift);
            limit -= shift;
            pos -= shift;
            recordStart = 0;
            fieldStart -= shift;
            if (recordEnd >= 0) {
                recordEnd -= shift;
            }
            for (int i = 0; i < fieldCount; i++) {
                starts[i] -= shift;
                ends[i] -= shift;
            }
        }
        if (limit == buf.length) {
            if (buf.length >= maxRecordChars) {
                throw new RecordTooLong();
            }
            buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, Math.max(maxRecordChars, INITIAL_BUFFER) + 1L));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return pos < limit;
    }
}
