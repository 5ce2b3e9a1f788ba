package io.lakeshift.lakehouse;

import io.lakeshift.core.config.PipelineConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.ReplaceSortOrder;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdatePartitionSpec;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the lakehouse table for a source table: the source's columns with their mapped types
 * ({@link SourceTypeMapping}, {@link LogicalTypes}), the key as Iceberg identifier fields, the {@code _ls_*} bookkeeping
 * columns, the pipeline's partition spec and sort order ({@link TableLayout}), format v2.
 */
public final class TableBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(TableBootstrap.class);

    private final Catalog catalog;

    public TableBootstrap(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The Iceberg schema for a source table: its columns with {@link LogicalTypes#iceberg} of their
     * logical types, the key as identifier fields, then the bookkeeping columns. A table with no
     * key (none given, no primary key) is identified by {@link LakeshiftColumns#ROW_KEY}.
     *
     * @param key the key columns; empty: the source's primary key
     * @param lowerCaseColumns whether column names (key columns too) are folded to lower case, so
     *     that every engine can query them without quoting
     * @throws IllegalArgumentException when a key column is not in the table, or two columns fold to one name
     */
    public static Schema schemaFor(SourceTable source, List<String> key, boolean lowerCaseColumns) {
        List<String> keyColumns = new ArrayList<>();
        for (String k : key.isEmpty() ? source.primaryKey() : key) {
            keyColumns.add(lakeName(k, lowerCaseColumns));
        }
        Set<String> keySet = new HashSet<>(keyColumns);
        List<Types.NestedField> fields = new ArrayList<>();
        Map<String, String> sourceNames = new HashMap<>();
        int id = 1;
        for (SourceTable.SourceColumn c : source.columns()) {
            String name = lakeName(c.name(), lowerCaseColumns);
            String earlier = sourceNames.putIfAbsent(name, c.name());
            if (earlier != null) {
                throw new IllegalArgumentException("source columns '" + earlier + "' and '" + c.name() + "' of " + source.schema()
                        + "." + source.table() + " are both '" + name + "' in lower case: the lake table cannot hold both;"
                        + " create it with the source's column names as they are, or rename one in the source");
            }
            if (LakeshiftColumns.isBookkeeping(name)) {
                throw new IllegalArgumentException("source column '" + c.name() + "' of " + source.schema() + "." + source.table()
                        + " starts with " + LakeshiftColumns.PREFIX + ", which Lakeshift keeps for its own columns");
            }
            var type = LogicalTypes.iceberg(c.type());
            // Identifier fields must be required in Iceberg; a key column is never null in the source.
            boolean required = keySet.contains(name) || !c.nullable();
            fields.add(required ? Types.NestedField.required(id, name, type) : Types.NestedField.optional(id, name, type));
            id++;
        }
        fields.addAll(LakeshiftColumns.fields(id));
        id = fields.size() + 1;
        Set<Integer> identifiers = new HashSet<>();
        if (keyColumns.isEmpty()) {
            Types.NestedField rowKey = LakeshiftColumns.rowKey(id);
            fields.add(rowKey);
            identifiers.add(rowKey.fieldId());
        }
        for (String k : keyColumns) {
            Types.NestedField field = fields.stream().filter(f -> f.name().equals(k)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("key column '" + k + "' is not in "
                            + source.schema() + "." + source.table()));
            identifiers.add(field.fieldId());
        }
        return new Schema(fields, identifiers);
    }

    /** A source column's name in the lake. */
    public static String lakeName(String sourceColumn, boolean lowerCaseColumns) {
        return lowerCaseColumns ? sourceColumn.toLowerCase(Locale.ROOT) : sourceColumn;
    }

    /**
     * Creates the table unless it exists; returns it either way. Unpartitioned, merge-on-read; an
     * existing table is left as it is.
     *
     * @param target {@code namespace.table}
     */
    public Table ensureTable(String target, SourceTable source, List<String> key, boolean lowerCaseColumns) {
        TableIdentifier id = TableIdentifier.parse(target);
        if (catalog.tableExists(id)) {
            return catalog.loadTable(id);
        }
        return create(id, source, key, TableLayout.UNPARTITIONED, PipelineConfig.DEFAULT_WRITE_MODE, lowerCaseColumns);
    }

    /**
     * Creates a pipeline's table unless it exists, with the pipeline's key, partition spec, sort
     * order and write mode. When the table exists and the pipeline now declares another partition
     * spec or sort order, the table evolves to it (a metadata-only change: existing files keep
     * their layout until compaction rewrites them).
     *
     * @param lowerCaseColumns see {@link #schemaFor}
     */
    public Table ensureTable(PipelineConfig pipeline, SourceTable source, boolean lowerCaseColumns) {
        TableLayout layout = TableLayout.of(pipeline);
        TableIdentifier id = TableIdentifier.parse(pipeline.target());
        if (!catalog.tableExists(id)) {
            return create(id, source, pipeline.key(), layout, pipeline.writeMode(), lowerCaseColumns);
        }
        Table table = catalog.loadTable(id);
        applyLayout(table, layout);
        return table;
    }

    /**
     * Creates the table with an explicit layout and write mode unless it exists.
     *
     * @param writeMode {@code merge-on-read} or {@code copy-on-write}
     * @param lowerCaseColumns see {@link #schemaFor}
     */
    public Table ensureTable(String target, SourceTable source, List<String> key, TableLayout layout, String writeMode,
            boolean lowerCaseColumns) {
        TableIdentifier id = TableIdentifier.parse(target);
        if (catalog.tableExists(id)) {
            Table table = catalog.loadTable(id);
            applyLayout(table, layout);
            return table;
        }
        return create(id, source, key, layout, writeMode, lowerCaseColumns);
    }

    /** The table properties Lakeshift creates its tables with. */
    public static Map<String, String> tableProperties(SourceTable source, String writeMode) {
        String mode = writeMode == null || writeMode.isBlank() ? PipelineConfig.DEFAULT_WRITE_MODE : writeMode;
        if (!PipelineConfig.MERGE_ON_READ.equals(mode) && !PipelineConfig.COPY_ON_WRITE.equals(mode)) {
            throw new IllegalArgumentException("writeMode must be merge-on-read or copy-on-write, got '" + writeMode + "'");
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put(TableProperties.FORMAT_VERSION, "2");
        props.put(TableProperties.MERGE_MODE, mode);
        props.put(TableProperties.UPDATE_MODE, mode);
        props.put(TableProperties.DELETE_MODE, mode);
        // Streaming, batch jobs and maintenance commit to the same table: retry concurrent commits longer.
        props.put(TableProperties.COMMIT_NUM_RETRIES, "10");
        // One metadata file per commit; streaming commits all day, so keep only the recent ones.
        props.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
        props.put(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100");
        props.put(CatalogProperties.SUMMARY_PREFIX + "source", source.schema() + "." + source.table());
        return props;
    }

    private Table create(TableIdentifier id, SourceTable source, List<String> key, TableLayout layout, String writeMode,
            boolean lowerCaseColumns) {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(id.namespace())) {
            try {
                namespaces.createNamespace(id.namespace());
            } catch (org.apache.iceberg.exceptions.AlreadyExistsException e) {
                // created concurrently: fine
            }
        }
        Schema schema = schemaFor(source, key, lowerCaseColumns);
        Table table;
        try {
            table = catalog.buildTable(id, schema)
                    .withPartitionSpec(layout.spec(schema))
                    .withSortOrder(layout.sortOrder(schema))
                    .withProperties(tableProperties(source, writeMode))
                    .create();
        } catch (org.apache.iceberg.exceptions.AlreadyExistsException e) {
            return catalog.loadTable(id);
        }
        LOG.info("Created Iceberg table {} from source table {}.{}: {} columns, identified by {}, {}", id, source.schema(),
                source.table(), source.columns().size(), schema.identifierFieldNames(), layout);
        return table;
    }

    /**
     * Evolves a table's partition spec and sort order to {@code layout} when they differ.
     *
     * @return whether the table changed
     */
    public static boolean applyLayout(Table table, TableLayout layout) {
        boolean changed = false;
        PartitionSpec wanted = layout.spec(table.schema());
        if (!table.spec().compatibleWith(wanted)) {
            UpdatePartitionSpec update = table.updateSpec();
            for (PartitionField field : table.spec().fields()) {
                if (!contains(wanted, field)) {
                    update.removeField(field.name());
                }
            }
            for (int i = 0; i < layout.partitionBy().size(); i++) {
                if (!contains(table.spec(), wanted.fields().get(i))) {
                    update.addField(layout.partitionBy().get(i).term());
                }
            }
            update.commit();
            LOG.info("Table {}: partition spec is now {}", table.name(), table.spec());
            changed = true;
        }
        SortOrder order = layout.sortOrder(table.schema());
        if (!table.sortOrder().sameOrder(order)) {
            ReplaceSortOrder replace = table.replaceSortOrder();
            for (TableLayout.SortField s : layout.sortBy()) {
                NullOrder nulls = s.nullsFirst() ? NullOrder.NULLS_FIRST : NullOrder.NULLS_LAST;
                if (s.descending()) {
                    replace.desc(s.field().term(), nulls);
                } else {
                    replace.asc(s.field().term(), nulls);
                }
            }
            replace.commit();
            LOG.info("Table {}: sort order is now {}", table.name(), table.sortOrder());
            changed = true;
        }
        return changed;
    }

    private static boolean contains(PartitionSpec spec, PartitionField field) {
        return spec.fields().stream().anyMatch(f -> f.sourceId() == field.sourceId() && f.transform().equals(field.transform()));
    }

    public static Namespace namespaceOf(String target) {
        return TableIdentifier.parse(target).namespace();
    }
}
