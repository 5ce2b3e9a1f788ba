package io.lakeshift.camel.record;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines ({@code \n}, {@code \r\n} or {@code \r} terminated) with their physical line numbers,
 * skipping empty ones. A line longer than the limit is returned truncated and flagged, so memory stays
 * bounded whatever the input holds. Not thread-safe.
 */
final class LineReader {

    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[64 * 1024];
    private final StringBuilder line = new StringBuilder(256);
    private int pos;
    private int limit;
    private boolean eof;
    private long nextLineNumber = 1;
    private long lineNumber;
    private boolean truncated;

    LineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next non-empty line, or null at the end of the input. */
    String next() throws IOException {
        while (true) {
            line.setLength(0);
            truncated = false;
            lineNumber = nextLineNumber;
            boolean sawAny = false;
            boolean terminated = false;
            while (!terminated) {
                if (pos >= limit && !fill()) {
                    break;
                }
                sawAny = true;
                int start = pos;
                while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') {
                    pos++;
                }
                append(start, pos);
                if (pos < limit) {
                    char c = buf[pos++];
                    nextLineNumber++;
                    if (c == '\r' && (pos < limit || fill()) && buf[pos] == '\n') {
                        pos++;
                    }
                    terminated = true;
                }
            }
            if (!sawAny) {
                return null;
            }
            if (!line.isEmpty() || truncated) {
                return line.toString();
            }
            if (!terminated) {
                return null;
            }
        }
    }

    /** The 1-based line number of the line last returned. */
    long lineNumber() {
        return lineNumber;
    }

    /** Whether the line last returned was longer than the limit and cut. */
    boolean truncated() {
        return truncated;
    }

    private void append(int start, int end) {
        int room = maxChars - line.length();
        int n = end - start;
        if (n > room) {
            truncated = true;
            n = Math.max(room, 0);
        }
        line.append(buf, start, n);
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            eof = true;
            pos = 0;
            limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return n > 0;
    }
}
