package io.lakeshift.camel.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that writes JSON tokens as Jackson's default generator does: strings quoted
 * with {@code "} and {@code \} escaped, control characters as {@code \b \t \n \f \r} or
 * {@code \}{@code u00XX}, surrogates (characters beyond the BMP) as {@code \}{@code uXXXX} each, everything
 * else as UTF-8; numbers as {@link Long#toString}, {@link Double#toString}
 * and {@link Float#toString}. Not thread-safe; reused record after record.
 */
final class JsonBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[2048];
    private int size;

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    JsonBytes raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    JsonBytes raw(char ascii) {
        ensure(1);
        buf[size++] = (byte) ascii;
        return this;
    }

    /** A long in decimal, written digit by digit (no intermediate String). */
    JsonBytes number(long v) {
        if (v == Long.MIN_VALUE) {
            return ascii(Long.toString(v));
        }
        ensure(20);
        if (v < 0) {
            buf[size++] = '-';
            v = -v;
        }
        int start = size;
        do {
            buf[size++] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        for (int i = start, j = size - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    JsonBytes ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** A JSON string: quoted and escaped. */
    JsonBytes string(String s) {
        int n = s.length();
        ensure(n * 3 + 2);
        buf[size++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    buf[size++] = (byte) c;
                } else {
                    escape(c);
                }
            } else if (c < 0x800) {
                buf[size++] = (byte) (0xC0 | (c >> 6));
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // as Jackson writes characters beyond the BMP (and lone surrogates): one escape per UTF-16 unit
                escapeUnicode(c);
            } else {
                buf[size++] = (byte) (0xE0 | (c >> 12));
                buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        buf[size++] = '"';
        return this;
    }

    private void escape(char c) {
        ensure(6);
        buf[size++] = '\\';
        switch (c) {
            case '"' -> buf[size++] = '"';
            case '\\' -> buf[size++] = '\\';
            case '\b' -> buf[size++] = 'b';
            case '\t' -> buf[size++] = 't';
            case '\n' -> buf[size++] = 'n';
            case '\f' -> buf[size++] = 'f';
            case '\r' -> buf[size++] = 'r';
            default -> {
                size--;
                escapeUnicode(c);
            }
        }
    }

    private void escapeUnicode(char c) {
        ensure(6);
        buf[size++] = '\\';
        buf[size++] = 'u';
        buf[size++] = HEX[(c >> 12) & 0xF];
        buf[size++] = HEX[(c >> 8) & 0xF];
        buf[size++] = HEX[(c >> 4) & 0xF];
        buf[size++] = HEX[c & 0xF];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
