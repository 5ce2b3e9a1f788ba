package io.lakeshift.lakehouse;

import java.util.List;
import org.apache.iceberg.types.Types;

/**
 * Lakeshift's bookkeeping columns in a current-state table. Hidden by convention (the {@code _ls_}
 * prefix): readers select the source columns, and reconciliation ignores these.
 */
public final class LakeshiftColumns {

    public static final String PREFIX = "_ls_";
    /** First element of the source position of the change that wrote the row. */
    public static final String SEQ_HI = "_ls_seq_hi";
    /** Second element of that source position. */
    public static final String SEQ_LO = "_ls_seq_lo";
    /** Source commit time of that change. */
    public static final String SOURCE_TS = "_ls_source_ts";
    public static final String ROW_KEY = "_ls_row_key";

    private LakeshiftColumns() {
    }

    public static boolean isBookkeeping(String column) {
        return column.startsWith(PREFIX);
    }

    static List<Types.NestedField> fields(int firstId) {
        return List.of(
                Types.NestedField.optional(firstId, SEQ_HI, Types.LongType.get(), "source position, first element"),
                Types.NestedField.optional(firstId + 1, SEQ_LO, Types.LongType.get(), "source position, second element"),
                Types.NestedField.optional(firstId + 2, SOURCE_TS, Types.TimestampType.withZone(), "source commit time"));
    }
}
