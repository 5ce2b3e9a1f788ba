package io.lakeshift.streaming;

/**
 * A source position {@code (seq_hi, seq_lo)} of the envelope's {@code source.seq}, ordered
 * element by element: the order in which changes to one key must be applied.
 */
record ChangePosition(long hi, long lo) implements Comparable<ChangePosition>, java.io.Serializable {

    /** Before every position a change can have. */
    static final ChangePosition NONE = new ChangePosition(Long.MIN_VALUE, Long.MIN_VALUE);

    @Override
    public int compareTo(ChangePosition other) {
        int byHi = Long.compare(hi, other.hi);
        return byHi != 0 ? byHi : Long.compare(lo, other.lo);
    }

    boolean isAfter(ChangePosition other) {
        return compareTo(other) > 0;
    }

    static ChangePosition max(ChangePosition a, ChangePosition b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The form stored in snapshot summaries, {@code hi:lo}. */
    @Override
    public String toString() {
        return hi + ":" + lo;
    }

    /** @throws IllegalArgumentException when {@code text} is not {@code hi:lo} */
    static ChangePosition parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a source position (hi:lo): '" + text + "'");
        }
        try {
            return new ChangePosition(Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a source position (hi:lo): '" + text + "'", e);
        }
    }
}
