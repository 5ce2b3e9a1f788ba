package io.lakeshift.streaming;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.lakeshift.lakehouse.LakeshiftColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;

/**
 * From parsed envelopes to typed change rows for one target, each with the reason it cannot be
 * applied (null when it can). Bad rows are kept, not filtered, so the caller can dead-letter
 * every one of them: records in = rows applied + dead letters.
 */
final class ChangeRows {

    static final String OP = LakeTables.OP;
    static final String REASON = "_ls_reason";
    static final String SNAPSHOT = "_ls_snapshot";
    static final String SOURCE_TS_MS = "_ls_source_ts_ms";
    static final String RAW_KEY = "_ls_raw_key";
    static final String RAW_VALUE = "_ls_raw_value";
    /** The event's column declarations (JSON text of name, type pairs), for schema evolution. */
    static final String COLUMNS = "_ls_columns";
    /** The required columns (comma-separated) an upsert carries as null or not at all; null when none. */
    static final String REQUIRED_NULL = "_ls_required_null";
    /** Of a keyless table's update: the row key of the row it replaces, when that differs from the new one. */
    static final String PREVIOUS_ROW_KEY = "_ls_previous_row_key";

    private ChangeRows() {
    }

    /**
     * Parses the envelopes once, with row images of the target's columns, and types them.
     *
     * @param records Kafka records ({@code key}, {@code value}, {@code partition}, {@code offset}),
     *     already filtered to the target's topic
     */
    static Dataset<Row> typed(Dataset<Row> records, ApplyTarget target) {
        List<String> names = target.columns().stream().map(ApplyTarget.TargetColumn::name).toList();
        // Deterministic, as a copy-on-write MERGE requires of its source's lineage; Spark does not
        // copy a UDF into each field that reads it (a non-cheap expression read more than once).
        Column parse = udf(new EnvelopeParser(names, target.foldCase()), EnvelopeSchema.of(names)).apply(col("value"));
        Dataset<Row> parsed = records.select(col("partition"), col("offset"), col("key"), col("value"), parse.as("e"));
        Column op = col("e.op");
        Column image = when(op.equalTo("d"), col("e.before")).otherwise(col("e.after"));
        Column upsert = op.isin("c", "u", "r");
        List<Column> select = new ArrayList<>();
        List<Column> problems = new ArrayList<>();
        List<Column> requiredNull = new ArrayList<>();
        // Spark reads malformed JSON as a struct of nulls, so "no op" is how a non-envelope shows.
        Column notAnEnvelope = col("e").isNull().or(op.isNull());
        problems.add(when(not(op.isin("c", "u", "d", "r")), concat(lit("unknown op '"), op, lit("'"))));
        problems.add(when(col("e.source.seq").isNull().or(size(col("e.source.seq")).notEqual(2)), lit("source.seq must hold two longs")));
        problems.add(when(image.isNull(), lit("the row image ('after', or 'before' for a delete) is missing")));
        for (ApplyTarget.TargetColumn c : target.columns()) {
            Column raw = image.getField(c.name());
            Column typed = convert(raw, c);
            select.add(typed.as(c.name()));
            boolean isKey = target.key().contains(c.name());
            problems.add(when(raw.isNotNull().and(typed.isNull()),
                    concat(lit("column " + c.name() + ": cannot read '"), raw, lit("' as " + c.type().simpleString()))));
            if (isKey) {
                problems.add(when(raw.isNull(), lit("key column " + c.name() + " is missing")));
            } else if (c.required()) {
                // the table makes the column optional and the batch is typed again (a column dropped at the source)
                requiredNull.add(when(upsert.and(raw.isNull()), lit(c.name())));
                problems.add(when(upsert.and(raw.isNull()), lit("column " + c.name() + " is required but null")));
            }
        }
        if (target.keyless()) {
            problems.add(when(op.equalTo("u").and(col("e.before").isNull()), lit("an update of a table without a key needs"
                    + " its before image (REPLICA IDENTITY FULL at the source)")));
            Column rowKey = rowKey(image, names);
            Column previous = rowKey(col("e.before"), names);
            select.add(rowKey.as(LakeshiftColumns.ROW_KEY));
            select.add(when(op.equalTo("u").and(previous.notEqual(rowKey)), previous).as(PREVIOUS_ROW_KEY));
        } else {
            select.add(lit(null).cast(DataTypes.StringType).as(PREVIOUS_ROW_KEY));
        }
        select.add(op.as(OP));
        select.add(element_at(col("e.source.seq"), 1).as(LakeshiftColumns.SEQ_HI));
        select.add(element_at(col("e.source.seq"), 2).as(LakeshiftColumns.SEQ_LO));
        select.add(timestamp_millis(col("e.source.ts_ms")).as(LakeshiftColumns.SOURCE_TS));
        select.add(col("e.source.ts_ms").as(SOURCE_TS_MS));
        select.add(col("e.source.snapshot").as(SNAPSHOT));
        Column reason = when(notAnEnvelope, lit("value is not a Lakeshift change event (invalid JSON or no 'op')"))
                .otherwise(nullif(concat_ws("; ", array(problems.toArray(Column[]::new))), lit("")));
        select.add(reason.as(REASON));
        // The raw record is kept only where it will be dead-lettered: cached rows stay small.
        select.add(when(reason.isNotNull(), col("key").cast(DataTypes.StringType)).as(RAW_KEY));
        select.add(when(reason.isNotNull(), col("value").cast(DataTypes.StringType)).as(RAW_VALUE));
        select.add(col("e.columns").as(COLUMNS));
        select.add((requiredNull.isEmpty() ? lit(null).cast(DataTypes.StringType)
                : nullif(concat_ws(",", array(requiredNull.toArray(Column[]::new))), lit(""))).as(REQUIRED_NULL));
        select.add(col("partition").as(LakeTables.KAFKA_PARTITION));
        select.add(col("offset").as(LakeTables.KAFKA_OFFSET));
        return parsed.select(select.toArray(Column[]::new));
    }

    /**
     * The row key of a keyless table's row image: the JSON object of its columns in table order,
     * each value as the envelope's text encodes it, null columns left out (so a column added later
     * as null keeps the keys of older rows). Equal rows have equal keys.
     */
    static Column rowKey(Column image, List<String> columns) {
        Column[] fields = columns.stream().map(c -> image.getField(c).as(c)).toArray(Column[]::new);
        return when(image.isNotNull(), to_json(struct(fields)));
    }

    /**
     * A keyless table's changes as the current-state table takes them: an update whose row changed
     * is the delete of the old row's key and the insert of the new row, at the same source position.
     */
    static Dataset<Row> keylessChanges(Dataset<Row> valid) {
        Dataset<Row> removed = valid.filter(col(PREVIOUS_ROW_KEY).isNotNull())
                .withColumn(OP, lit("d"))
                .withColumn(LakeshiftColumns.ROW_KEY, col(PREVIOUS_ROW_KEY));
        return valid.unionByName(removed);
    }

    /**
     * Keeps the newest change per key, by source position: a hash aggregate picking, per key, the
     * row with the largest {@code (seq_hi, seq_lo)}, cheaper than sorting every key's changes.
     */
    static Dataset<Row> latestPerKey(Dataset<Row> valid, List<String> key) {
        Column[] keyColumns = key.stream().map(k -> col("`" + k + "`")).toArray(Column[]::new);
        String[] fields = valid.columns();
        Column row = struct(java.util.Arrays.stream(fields).map(f -> col("`" + f + "`")).toArray(Column[]::new));
        Column order = struct(col(LakeshiftColumns.SEQ_HI), col(LakeshiftColumns.SEQ_LO));
        return valid.groupBy(keyColumns).agg(max_by(row, order).as("_ls_latest")).select("_ls_latest.*");
    }

    /**
     * The newest change per key as {@link #latestPerKey(Dataset, List)} finds it, but with a hash
     * aggregate: the source position packed into one long ({@code packing}) picks, per key, the
     * Kafka position (also one long) of the newest change, and the rows at those positions are kept.
     * Spark aggregates a struct (the whole row, the two-part position) only by sorting every change.
     *
     * @param valid valid change rows with their Kafka partition and offset
     * @param count how many rows {@code valid} holds
     */
    static Dataset<Row> latestPerKey(Dataset<Row> valid, List<String> key, Packing packing, long count) {
        Column[] keyColumns = key.stream().map(k -> col("`" + k + "`")).toArray(Column[]::new);
        Column order = col(LakeshiftColumns.SEQ_HI).minus(lit(packing.minHi())).multiply(lit(1L << Packing.LO_BITS))
                .plus(col(LakeshiftColumns.SEQ_LO).minus(lit(packing.minLo())));
        Column position = col(LakeTables.KAFKA_PARTITION).cast(DataTypes.LongType).multiply(lit(1L << Packing.OFFSET_BITS))
                .plus(col(LakeTables.KAFKA_OFFSET));
        Dataset<Row> newest = valid.groupBy(keyColumns).agg(max_by(position, order).as("_ls_newest"));
        if (count <= BROADCAST_POSITIONS) {
            newest = broadcast(newest);
        }
        return valid.join(newest, position.equalTo(newest.col("_ls_newest")), "left_semi");
    }

    /** Up to how many changes the newest positions are broadcast to the rows rather than shuffled. */
    private static final long BROADCAST_POSITIONS = 4_000_000L;

    /**
     * How a batch's source positions {@code (seq_hi, seq_lo)} and Kafka positions each pack into one
     * long that keeps their order: when the batch's ranges fit, else there is no packing.
     */
    record Packing(long minHi, long minLo) {

        static final int LO_BITS = 32;
        static final int OFFSET_BITS = 43;

        /** Collects the ranges of a batch's valid changes. */
        static final class Builder {
            private long minHi = Long.MAX_VALUE;
            private long maxHi = Long.MIN_VALUE;
            private long minLo = Long.MAX_VALUE;
            private long maxLo = Long.MIN_VALUE;
            private int maxPartition;
            private long maxOffset;
            private boolean any;
            private boolean unpackable;

            void unpackable() {
                unpackable = true;
            }

            void add(int partition, long offset, long minHi, long maxHi, long minLo, long maxLo) {
                any = true;
                maxPartition = Math.max(maxPartition, partition);
                maxOffset = Math.max(maxOffset, offset);
                this.minHi = Math.min(this.minHi, minHi);
                this.maxHi = Math.max(this.maxHi, maxHi);
                this.minLo = Math.min(this.minLo, minLo);
                this.maxLo = Math.max(this.maxLo, maxLo);
            }

            /** The packing, or null when a range does not fit. */
            Packing build() {
                if (!any || unpackable || maxPartition < 0 || maxPartition >= 1 << (63 - OFFSET_BITS) || maxOffset >= 1L << OFFSET_BITS) {
                    return null;
                }
                java.math.BigInteger hiRange = java.math.BigInteger.valueOf(maxHi).subtract(java.math.BigInteger.valueOf(minHi));
                java.math.BigInteger loRange = java.math.BigInteger.valueOf(maxLo).subtract(java.math.BigInteger.valueOf(minLo));
                if (hiRange.bitLength() > 63 - LO_BITS - 1 || loRange.bitLength() > LO_BITS) {
                    return null;
                }
                return new Packing(minHi, minLo);
            }
        }
    }

    private static final UserDefinedFunction CANONICAL_INSTANT = udf(new CanonicalInstant(), DataTypes.LongType);

    private static Column convert(Column raw, ApplyTarget.TargetColumn c) {
        if (c.type() instanceof StringType) {
            return raw;
        }
        if (c.type() instanceof BinaryType) {
            return call_function("try_to_binary", raw, lit("base64"));
        }
        if (c.type().equals(DataTypes.BooleanType)) {
            return raw.try_cast(DataTypes.BooleanType);
        }
        if (c.type().equals(DataTypes.TimestampType)) {
            return coalesce(timestamp_micros(CANONICAL_INSTANT.apply(raw)), raw.try_cast(DataTypes.TimestampType));
        }
        return raw.try_cast(c.type());
    }
}
