package io.lakeshift.streaming;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The change envelope as Spark reads it. Row images are read as string maps: every JSON value
 * keeps its exact text (decimals never pass through a double) and is cast to the target column's
 * type afterwards, so one parse serves every table and a new column needs no new schema.
 */
final class EnvelopeSchema {

    static final StructType VALUE = new StructType()
            .add("op", DataTypes.StringType)
            .add("ts_ms", DataTypes.LongType)
            .add("before", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
            .add("after", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
            .add("source", new StructType()
                    .add("position", DataTypes.StringType)
                    .add("seq", DataTypes.createArrayType(DataTypes.LongType))
                    .add("snapshot", DataTypes.BooleanType)
                    .add("ts_ms", DataTypes.LongType))
            .add("columns", DataTypes.createArrayType(new StructType()
                    .add("name", DataTypes.StringType)
                    .add("type", DataTypes.StringType)));

    private EnvelopeSchema() {
    }
}
