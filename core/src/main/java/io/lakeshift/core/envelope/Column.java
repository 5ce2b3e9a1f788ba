package io.lakeshift.core.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One column of the row images in an event, with its logical type.
 *
 * @param name the source column name
 * @param type the logical type, see {@link LogicalType}
 * @param optional whether the column may be null
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Column(String name, LogicalType type, boolean optional) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
