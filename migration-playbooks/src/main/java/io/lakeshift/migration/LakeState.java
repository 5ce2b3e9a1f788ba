package io.lakeshift.migration;

import io.lakeshift.lakehouse.CatalogProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Iceberg side of a migration, through Iceberg's own API: shadow tables, batch snapshots, restores. */
final class LakeState {

    private static final Logger LOG = LoggerFactory.getLogger(LakeState.class);
    static final String TRANSITION = CatalogProperties.SUMMARY_PREFIX + "migration.transition";
    static final String SHADOW_OF = CatalogProperties.SUMMARY_PREFIX + "shadow-of";

    private final Catalog catalog;

    LakeState(Catalog catalog) {
        this.catalog = catalog;
    }

    Table load(String table) {
        TableIdentifier id = TableIdentifier.parse(table);
        if (!catalog.tableExists(id)) {
            throw new IllegalStateException("table " + table + " does not exist in catalog '" + catalog.name() + "'");
        }
        return catalog.loadTable(id);
    }

    boolean exists(String table) {
        return catalog.tableExists(TableIdentifier.parse(table));
    }

    /** Creates the shadow table with the main table's schema (same field ids), partitioning, sort order and write modes. */
    boolean ensureShadow(String main, String shadow) {
        TableIdentifier id = TableIdentifier.parse(shadow);
        if (catalog.tableExists(id)) {
            return false;
        }
        Table source = load(main);
        Map<String, String> props = new HashMap<>();
        for (String key : new String[] {TableProperties.FORMAT_VERSION, TableProperties.MERGE_MODE,
                TableProperties.UPDATE_MODE, TableProperties.DELETE_MODE, TableProperties.DEFAULT_FILE_FORMAT}) {
            String value = source.properties().get(key);
            if (value != null) {
                props.put(key, value);
            }
        }
        props.putIfAbsent(TableProperties.FORMAT_VERSION, "2");
        props.put(SHADOW_OF, main);
        catalog.buildTable(id, source.schema())
                .withPartitionSpec(source.spec())
                .withSortOrder(source.sortOrder())
                .withProperties(props)
                .create();
        LOG.info("Created shadow table {} of {}", shadow, main);
        return true;
    }

    /** The newest snapshot in the table's current history whose summary records a batch position. */
    Optional<Snapshot> lastBatchSnapshot(Table table, String positionProperty) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return Optional.empty();
        }
        for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            if (s.summary().containsKey(positionProperty)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Whether a commit of this transition is in the table's history. */
    boolean committedBy(Table table, String transitionId) {
        table.refresh();
        for (Snapshot s : table.snapshots()) {
            if (transitionId.equals(s.summary().get(TRANSITION))) {
                return true;
            }
        }
        return false;
    }

    /** Makes {@code snapshotId} the table's current state again (a rollback when it is an ancestor). */
    void restore(Table table, long snapshotId) {
        table.refresh();
        if (table.snapshot(snapshotId) == null) {
            throw new IllegalStateException("snapshot " + snapshotId + " of " + table.name()
                    + " no longer exists (expired?): cannot restore the last batch-written state");
        }
        Snapshot current = table.currentSnapshot();
        if (current != null && current.snapshotId() == snapshotId) {
            return;
        }
        if (current != null && SnapshotUtil.isAncestorOf(table, current.snapshotId(), snapshotId)) {
            table.manageSnapshots().rollbackTo(snapshotId).commit();
        } else {
            table.manageSnapshots().setCurrentSnapshot(snapshotId).commit();
        }
        LOG.info("Restored {} to snapshot {}", table.name(), snapshotId);
    }
}
