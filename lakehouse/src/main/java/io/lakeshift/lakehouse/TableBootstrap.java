package io.lakeshift.lakehouse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the lakehouse table for a source table: the source's columns with their mapped types,
 * the key as Iceberg identifier fields, the {@code _ls_*} bookkeeping columns, format v2.
 */
public final class TableBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(TableBootstrap.class);

    private final Catalog catalog;

    public TableBootstrap(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The Iceberg schema for a source table with the given key columns (empty: its primary key). */
    public static Schema schemaFor(SourceTable source, List<String> key) {
        List<String> keyColumns = key.isEmpty() ? source.primaryKey() : key;
        Set<String> keySet = new HashSet<>(keyColumns);
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        for (SourceTable.SourceColumn c : source.columns()) {
            var type = SourceTypeMapping.toIceberg(c.jdbcType(), c.typeName(), c.precision(), c.scale());
            // Identifier fields must be required in Iceberg; a key column is never null in the source.
            boolean required = keySet.contains(c.name()) || !c.nullable();
            fields.add(required ? Types.NestedField.required(id, c.name(), type) : Types.NestedField.optional(id, c.name(), type));
            id++;
        }
        fields.addAll(LakeshiftColumns.fields(id));
        Set<Integer> identifiers = new HashSet<>();
        for (String k : keyColumns) {
            Types.NestedField field = fields.stream().filter(f -> f.name().equals(k)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("key column '" + k + "' is not in "
                            + source.schema() + "." + source.table()));
            identifiers.add(field.fieldId());
        }
        return new Schema(fields, identifiers);
    }

    /**
     * Creates the table unless it exists; returns it either way.
     *
     * @param target {@code namespace.table}
     */
    public Table ensureTable(String target, SourceTable source, List<String> key) {
        TableIdentifier id = TableIdentifier.parse(target);
        if (catalog.tableExists(id)) {
            return catalog.loadTable(id);
        }
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(id.namespace())) {
            try {
                namespaces.createNamespace(id.namespace());
            } catch (org.apache.iceberg.exceptions.AlreadyExistsException e) {
                // created concurrently: fine
            }
        }
        Schema schema = schemaFor(source, key);
        Table table = catalog.buildTable(id, schema)
                .withPartitionSpec(PartitionSpec.unpartitioned())
                .withProperties(Map.of(
                        TableProperties.FORMAT_VERSION, "2",
                        TableProperties.MERGE_MODE, "merge-on-read",
                        TableProperties.UPDATE_MODE, "merge-on-read",
                        TableProperties.DELETE_MODE, "merge-on-read",
                        CatalogProperties.SUMMARY_PREFIX + "source", source.schema() + "." + source.table()))
                .create();
        LOG.info("Created Iceberg table {} from source table {}.{}: {} columns, key {}", id, source.schema(),
                source.table(), source.columns().size(), key.isEmpty() ? source.primaryKey() : key);
        return table;
    }

    public static Namespace namespaceOf(String target) {
        return TableIdentifier.parse(target).namespace();
    }
}
