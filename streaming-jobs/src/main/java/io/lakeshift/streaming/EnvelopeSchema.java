package io.lakeshift.streaming;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The change envelope as the apply job reads it for one target ({@link EnvelopeParser}). Row images
 * are structs of string fields, one per target column, each holding the exact JSON text of the
 * value (a number's digits as written, never passed through a double), cast to the column's type
 * afterwards. A column the table lacks is found through the envelope's {@code columns} declarations.
 */
final class EnvelopeSchema {

    private EnvelopeSchema() {
    }

    /** The envelope with {@code before}/{@code after} holding the given columns as strings. */
    static StructType of(List<String> columns) {
        StructType image = new StructType();
        for (String column : columns) {
            image = image.add(column, DataTypes.StringType);
        }
        return new StructType()
                .add("op", DataTypes.StringType)
                .add("before", image)
                .add("after", image)
                .add("source", new StructType()
                        .add("seq", DataTypes.createArrayType(DataTypes.LongType))
                        .add("snapshot", DataTypes.BooleanType)
                        .add("ts_ms", DataTypes.LongType))
                // the JSON text of the column declarations, read on the driver once per distinct text
                .add("columns", DataTypes.StringType);
    }
}
