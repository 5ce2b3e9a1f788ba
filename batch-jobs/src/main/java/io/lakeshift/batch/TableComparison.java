package io.lakeshift.batch;

import java.util.List;

/**
 * The outcome of comparing a source table with a lakehouse table, row for row on every column.
 *
 * @param name the compared table, as printed
 * @param sourceRows rows in the source
 * @param lakeRows rows in the lakehouse
 * @param missing source rows with no identical lakehouse row
 * @param extra lakehouse rows with no identical source row
 * @param missingSample a few of the missing rows, printed
 * @param extraSample a few of the extra rows, printed
 */
public record TableComparison(
        String name,
        long sourceRows,
        long lakeRows,
        long missing,
        long extra,
        List<String> missingSample,
        List<String> extraSample) {

    public boolean matches() {
        return missing == 0 && extra == 0 && sourceRows == lakeRows;
    }

    /** {@code table <name>: source <N> rows, lake <M> rows, <match|MISMATCH>} */
    public String summaryLine() {
        return "table " + name + ": source " + sourceRows + " rows, lake " + lakeRows + " rows, "
                + (matches() ? "match" : "MISMATCH");
    }
}
