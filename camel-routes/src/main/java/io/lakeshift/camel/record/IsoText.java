package io.lakeshift.camel.record;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Fast paths for the most common value forms in legacy extracts, which would otherwise dominate
 * the cost of a record: ISO dates ({@code 2026-01-31}), ISO local timestamps ({@code 2026-01-31T10:15:30},
 * a space instead of the {@code T} and up to nine fraction digits allowed) and plain decimals
 * ({@code -1234.5}). Each returns the envelope form, or null when the text is not in the simple form,
 * in which case the caller falls back to the general parser (which also produces the error message).
 */
final class IsoText {

    private IsoText() {
    }

    /** {@code yyyy-MM-dd} as itself when it is a valid date, else null. */
    static String date(String s) {
        if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        int y = digits(s, 0, 4);
        int m = digits(s, 5, 7);
        int d = digits(s, 8, 10);
        if (y < 0 || m < 0 || d < 0 || !validDate(y, m, d)) {
            return null;
        }
        return s;
    }

    /** {@code yyyy-MM-ddTHH:mm[:ss[.fffffffff]]} as {@code yyyy-MM-ddTHH:mm:ss.ffffff}, else null. */
    static String localTimestamp(String s) {
        int n = s.length();
        if (n < 16 || (s.charAt(10) != 'T' && s.charAt(10) != ' ') || date(s.substring(0, 10)) == null) {
            return null;
        }
        String time = time(s, 11);
        return time == null ? null : s.substring(0, 10) + 'T' + time;
    }

    /** {@code HH:mm[:ss[.fffffffff]]} from {@code start} to the end, as {@code HH:mm:ss.ffffff}, else null. */
    static String time(String s, int start) {
        int n = s.length();
        if (n - start < 5 || s.charAt(start + 2) != ':') {
            return null;
        }
        int h = digits(s, start, start + 2);
        int mi = digits(s, start + 3, start + 5);
        int sec = 0;
        int p = start + 5;
        if (p < n) {
            if (s.charAt(p) != ':' || n - p < 3) {
                return null;
            }
            sec = digits(s, p + 1, p + 3);
            p += 3;
        }
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) {
            return null;
        }
        StringBuilder out = new StringBuilder(15);
        out.append(s, start, start + 5).append(':');
        pad2(out, sec);
        out.append('.');
        int fractionDigits = 0;
        if (p < n) {
            if (s.charAt(p) != '.' || n - p - 1 < 1 || n - p - 1 > 9) {
                return null;
            }
            for (int i = p + 1; i < n; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                if (fractionDigits < 6) {
                    out.append(c);
                }
                fractionDigits++;
            }
        }
        for (int i = Math.min(fractionDigits, 6); i < 6; i++) {
            out.append('0');
        }
        return out.toString();
    }

    /**
     * A plain decimal ({@code [-+]digits[.digits]}, no exponent) with at most {@code scale} fraction
     * digits and {@code precision - scale} integer digits, written with exactly {@code scale} fraction
     * digits; null otherwise (including when the general parser must say why it does not fit).
     */
    static String decimal(String s, int precision, int scale) {
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        int intStart = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        int intDigits = i - intStart;
        int fracDigits = 0;
        if (i < n) {
            if (s.charAt(i) != '.') {
                return null;
            }
            i++;
            int fracStart = i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i != n) {
                return null;
            }
            fracDigits = i - fracStart;
        }
        if (intDigits == 0 || fracDigits > scale || (intDigits > 1 && s.charAt(intStart) == '0')) {
            return null;
        }
        boolean integerPartIsZero = intDigits == 1 && s.charAt(intStart) == '0';
        if (precision - scale == 0 ? !integerPartIsZero : intDigits > precision - scale) {
            return null;
        }
        StringBuilder out = new StringBuilder(intDigits + scale + 2);
        boolean zero = true;
        for (int k = intStart; k < n; k++) {
            char c = s.charAt(k);
            if (c != '0' && c != '.') {
                zero = false;
                break;
            }
        }
        if (negative && !zero) {
            out.append('-');
        }
        out.append(s, intStart, intStart + intDigits);
        if (scale > 0) {
            out.append('.');
            if (fracDigits > 0) {
                out.append(s, intStart + intDigits + 1, n);
            }
            for (int k = fracDigits; k < scale; k++) {
                out.append('0');
            }
        }
        return out.toString();
    }

    private static boolean validDate(int y, int m, int d) {
        if (m < 1 || m > 12 || d < 1 || d > 28) {
            try {
                LocalDate.of(y, m, d);
            } catch (DateTimeException e) {
                return false;
            }
        }
        return true;
    }

    /** The number of the ASCII digits in [from, to), or -1. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void pad2(StringBuilder out, int v) {
        if (v < 10) {
            out.append('0');
        }
        out.append(v);
    }

}
