package io.lakeshift.core.jdbc;

import java.util.Locale;

/**
 * A PostgreSQL WAL position as Lakeshift writes source positions: {@code lsn=16/B374D848}. One
 * parser for every place that reads one back (a batch run's snapshot summary, a position a team's
 * own batch job records, the reconciliation's boundary).
 */
public final class Lsn {

    /** How a position starts in a snapshot summary. */
    public static final String PREFIX = "lsn=";

    private Lsn() {
    }

    /**
     * Reads {@code lsn=16/B374D848}, PostgreSQL's own {@code 16/B374D848}, or the LSN as a decimal
     * number.
     *
     * @throws IllegalArgumentException with the accepted forms, for anything else
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a source position is missing (an LSN such as lsn=16/B374D848)");
        }
        String t = text.strip();
        if (t.startsWith(PREFIX)) {
            t = t.substring(PREFIX.length());
        }
        int slash = t.indexOf('/');
        try {
            long lsn = slash > 0
                    ? (Long.parseLong(t.substring(0, slash), 16) << 32) | Long.parseLong(t.substring(slash + 1), 16)
                    : Long.parseLong(t);
            if (lsn < 0 || slash > 0 && Long.parseLong(t.substring(slash + 1), 16) > 0xFFFFFFFFL) {
                throw new NumberFormatException("out of range");
            }
            return lsn;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a source position (an LSN such as lsn=16/B374D848,"
                    + " 16/B374D848, or a number)");
        }
    }

    /** PostgreSQL's notation, {@code 16/B374D848}. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase(Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(Locale.ROOT);
    }

    /** The position as Lakeshift records it: {@code lsn=16/B374D848}. */
    public static String position(long lsn) {
        return PREFIX + format(lsn);
    }
}
