package io.lakeshift.streaming;

import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.lakehouse.LogicalTypes;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Envelope logical types as Iceberg types, and which type changes Iceberg can make in place. */
final class IcebergTypes {

    private IcebergTypes() {
    }

    /** The lake column type for a logical type: {@link LogicalTypes#iceberg}, the one mapping. */
    static Type of(LogicalType type) {
        return LogicalTypes.iceberg(type);
    }

    /** What to do when events carry {@code incoming} for a column the table holds as {@code current}. */
    enum Change { NONE, WIDEN, INCOMPATIBLE }

    static Change compare(Type current, LogicalType incoming) {
        Type wanted = of(incoming);
        if (current.equals(wanted)) {
            return Change.NONE;
        }
        if (current instanceof Types.DecimalType have && incoming.kind() == LogicalType.Kind.DECIMAL) {
            if (incoming.precision() <= 0) {
                return Change.NONE; // an unbounded source decimal: the table's decimal was chosen for it
            }
            Types.DecimalType want = (Types.DecimalType) wanted;
            if (want.scale() == have.scale()) {
                return want.precision() > have.precision() ? Change.WIDEN : Change.NONE;
            }
            return Change.INCOMPATIBLE;
        }
        return switch (current.typeId()) {
            case INTEGER -> wanted.typeId() == Type.TypeID.LONG ? Change.WIDEN : Change.INCOMPATIBLE;
            case FLOAT -> wanted.typeId() == Type.TypeID.DOUBLE ? Change.WIDEN : Change.INCOMPATIBLE;
            // narrower values fit the wider column as they are
            case LONG -> wanted.typeId() == Type.TypeID.INTEGER ? Change.NONE : Change.INCOMPATIBLE;
            case DOUBLE -> wanted.typeId() == Type.TypeID.FLOAT ? Change.NONE : Change.INCOMPATIBLE;
            default -> Change.INCOMPATIBLE;
        };
    }
}
