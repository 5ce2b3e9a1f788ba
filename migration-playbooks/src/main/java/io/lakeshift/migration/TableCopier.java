package io.lakeshift.migration;

import java.util.Map;

/**
 * Replaces the whole content of one Iceberg table with another's current content in a single
 * commit (readers see the old state or the new, never a mix). Both tables have the same schema.
 */
public interface TableCopier {

    /**
     * @param from source table, {@code namespace.table}
     * @param to target table, {@code namespace.table}
     * @param summary properties recorded in the new snapshot's summary
     * @return the id of the snapshot committed to {@code to}
     */
    long replaceContents(String from, String to, Map<String, String> summary);
}
