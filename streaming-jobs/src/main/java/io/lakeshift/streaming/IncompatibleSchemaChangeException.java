package io.lakeshift.streaming;

/**
 * The events changed a column in a way the lakehouse table cannot follow in place (for example a
 * string column that became a number). The pipeline stops before writing anything, so the tables
 * stay as they were; an operator decides how to migrate the table.
 */
public class IncompatibleSchemaChangeException extends RuntimeException {

    public IncompatibleSchemaChangeException(String message) {
        super(message);
    }
}
