package io.lakeshift.streaming;

import io.lakeshift.lakehouse.CompanionTables;
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
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables a pipeline writes beside its current-state table: the changelog (every applied event,
 * for audit, replay and point-in-time reconstruction) and the delete markers (the source position
 * of each key's last delete, so that a replayed older insert cannot bring a deleted row back).
 */
final class LakeTables {

    private static final Logger LOG = LoggerFactory.getLogger(LakeTables.class);

    static final String OP = "_ls_op";
    static final String KAFKA_PARTITION = "_ls_kafka_partition";
    static final String KAFKA_OFFSET = "_ls_kafka_offset";

    private LakeTables() {
    }

    static Table load(SparkSession spark, String table) {
        try {
            return Spark3Util.loadIcebergTable(spark, table);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load Iceberg table " + table + ": " + e.getMessage(), e);
        }
    }

    /** Creates the changelog and delete-marker tables of {@code target} unless they exist. */
    static void ensureCompanions(SparkSession spark, String catalogName, Table target, String targetName) {
        Catalog catalog = Spark3Util.loadIcebergCatalog(spark, catalogName);
        TableIdentifier id = TableIdentifier.parse(targetName.substring(catalogName.length() + 1));
        TableIdentifier changelog = TableIdentifier.of(id.namespace(), id.name() + CompanionTables.CHANGELOG_SUFFIX);
        if (!catalog.tableExists(changelog)) {
            Schema schema = changelogSchema(target.schema());
            catalog.buildTable(changelog, schema)
                    .withPartitionSpec(PartitionSpec.builderFor(schema).day(io.lakeshift.lakehouse.LakeshiftColumns.SOURCE_TS).build())
                    .withProperties(Map.of(TableProperties.FORMAT_VERSION, "2",
                            CompanionTables.CHANGELOG_OF, id.toString()))
                    .create();
            LOG.info("Created changelog table {}", changelog);
        }
        TableIdentifier deletes = TableIdentifier.of(id.namespace(), id.name() + CompanionTables.DELETES_SUFFIX);
        if (!catalog.tableExists(deletes)) {
            catalog.buildTable(deletes, deletesSchema(target.schema()))
                    .withProperties(Map.of(TableProperties.FORMAT_VERSION, "2",
                            TableProperties.MERGE_MODE, "merge-on-read",
                            CompanionTables.DELETES_OF, id.toString()))
                    .create();
            LOG.info("Created delete-marker table {}", deletes);
        }
    }

    /** Every column of the target, optional, then op and Kafka position. */
    static Schema changelogSchema(Schema target) {
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        for (Types.NestedField f : target.columns()) {
            fields.add(Types.NestedField.optional(id++, f.name(), f.type(), f.doc()));
        }
        fields.add(Types.NestedField.required(id++, OP, Types.StringType.get(), "c, u, d or r"));
        fields.add(Types.NestedField.optional(id++, KAFKA_PARTITION, Types.IntegerType.get()));
        fields.add(Types.NestedField.optional(id, KAFKA_OFFSET, Types.LongType.get()));
        return new Schema(fields);
    }

    /** The key columns and the source position of the key's last delete. */
    static Schema deletesSchema(Schema target) {
        Set<Integer> identifiers = new HashSet<>();
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        for (String key : target.identifierFieldNames()) {
            Types.NestedField f = target.findField(key);
            identifiers.add(id);
            fields.add(Types.NestedField.required(id++, f.name(), f.type()));
        }
        fields.add(Types.NestedField.required(id++, io.lakeshift.lakehouse.LakeshiftColumns.SEQ_HI, Types.LongType.get()));
        fields.add(Types.NestedField.required(id, io.lakeshift.lakehouse.LakeshiftColumns.SEQ_LO, Types.LongType.get()));
        return new Schema(fields, identifiers);
    }
}
