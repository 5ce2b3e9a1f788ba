package io.lakeshift.lakehouse;

/**
 * The tables the streaming apply job keeps beside a current-state table {@code ns.t}: its
 * changelog {@code ns.t__changelog} (every applied event) and its delete markers
 * {@code ns.t__deletes} (per deleted key, the source position of the delete, so that a replayed
 * older change cannot bring the row back). Each carries a table property naming the
 * current-state table it belongs to, so that maintenance and migrations can find them without
 * parsing names.
 */
public final class CompanionTables {

    public static final String CHANGELOG_SUFFIX = "__changelog";
    public static final String DELETES_SUFFIX = "__deletes";
    /** Table property of a changelog table: its current-state table, {@code namespace.table}. */
    public static final String CHANGELOG_OF = CatalogProperties.SUMMARY_PREFIX + "changelog-of";
    /** Table property of a delete-marker table: its current-state table, {@code namespace.table}. */
    public static final String DELETES_OF = CatalogProperties.SUMMARY_PREFIX + "deletes-of";

    private CompanionTables() {
    }
}
