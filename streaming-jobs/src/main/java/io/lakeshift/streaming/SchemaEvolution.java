package io.lakeshift.streaming;

import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.lakehouse.LakeshiftColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows source schema changes without a restart: a column the events carry and the table lacks
 * is added (optional) to the current-state and changelog tables; int to bigint, float to double and
 * a wider decimal precision are widened in place; a required column that upserts carry as null or
 * no longer carry (dropped at the source) becomes optional. Any other type change stops the
 * pipeline with {@link IncompatibleSchemaChangeException} before anything of the batch is written.
 */
final class SchemaEvolution {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaEvolution.class);

    private SchemaEvolution() {
    }

    /** The changes {@code incoming} asks of {@code schema}: columns to add and to widen. */
    record Plan(Map<String, Type> add, Map<String, Type.PrimitiveType> widen, Set<String> optional) {

        Plan(Map<String, Type> add, Map<String, Type.PrimitiveType> widen) {
            this(add, widen, Set.of());
        }

        boolean isEmpty() {
            return add.isEmpty() && widen.isEmpty() && optional.isEmpty();
        }
    }

    static Plan plan(String pipeline, String table, Schema schema, List<Map.Entry<String, LogicalType>> incoming) {
        return plan(pipeline, table, schema, incoming, Set.of(), false);
    }

    /**
     * @param requiredNull required columns that upserts carry as null or not at all
     * @param foldCase whether event column names match table columns whatever their case (new
     *     columns are then added lower-cased)
     */
    static Plan plan(String pipeline, String table, Schema schema, List<Map.Entry<String, LogicalType>> incoming,
            Set<String> requiredNull, boolean foldCase) {
        Map<String, Type> add = new LinkedHashMap<>();
        Map<String, Type.PrimitiveType> widen = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, LogicalType> column : incoming) {
            String name = foldCase ? column.getKey().toLowerCase(Locale.ROOT) : column.getKey();
            if (LakeshiftColumns.isBookkeeping(name)) {
                continue;
            }
            Types.NestedField field = foldCase ? schema.caseInsensitiveFindField(name) : schema.findField(name);
            if (field != null) {
                name = field.name();
            }
            Type wanted = IcebergTypes.of(column.getValue());
            if (field == null) {
                add.merge(name, wanted, SchemaEvolution::wider);
                continue;
            }
            switch (IcebergTypes.compare(field.type(), column.getValue())) {
                case NONE -> { }
                case WIDEN -> widen.merge(name, wanted.asPrimitiveType(), (a, b) -> wider(a, b).asPrimitiveType());
                case INCOMPATIBLE -> problems.add("column " + name + " is " + field.type() + " in the table but "
                        + column.getValue() + " in the events");
            }
        }
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaChangeException("pipeline " + pipeline + ": the source schema of " + table
                    + " changed in a way Iceberg cannot follow in place (" + String.join("; ", problems)
                    + "). The pipeline stopped before writing this batch; the table is unchanged. Migrate the"
                    + " column (for example add a new column and backfill it), then restart the pipeline.");
        }
        Set<String> optional = new LinkedHashSet<>();
        for (String name : requiredNull) {
            Types.NestedField field = schema.findField(name);
            if (field != null && field.isRequired() && !schema.identifierFieldNames().contains(name)) {
                optional.add(name);
            }
        }
        return new Plan(add, widen, optional);
    }

    /** Applies a plan to one table in one schema commit. */
    static void apply(Table table, Plan plan, String pipeline) {
        if (plan.isEmpty()) {
            return;
        }
        UpdateSchema update = table.updateSchema();
        Schema schema = table.schema();
        plan.add().forEach((name, type) -> {
            if (schema.findField(name) == null) {
                update.addColumn(name, type);
            }
        });
        plan.widen().forEach((name, type) -> {
            if (schema.findField(name) != null && !schema.findField(name).type().equals(type)) {
                update.updateColumn(name, type);
            }
        });
        plan.optional().forEach(name -> {
            if (schema.findField(name) != null && schema.findField(name).isRequired()) {
                update.makeColumnOptional(name);
            }
        });
        update.commit();
        LOG.info("Pipeline {}: schema of {} evolved: added {}, widened {}, made optional {}", pipeline, table.name(), plan.add(),
                plan.widen(), plan.optional());
    }

    private static Type wider(Type a, Type b) {
        if (a instanceof Types.DecimalType da && b instanceof Types.DecimalType db) {
            return da.precision() >= db.precision() ? a : b;
        }
        if (a.typeId() == Type.TypeID.LONG || a.typeId() == Type.TypeID.DOUBLE) {
            return a;
        }
        return b;
    }
}
