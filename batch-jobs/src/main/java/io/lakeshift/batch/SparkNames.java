package io.lakeshift.batch;

/** Spark SQL identifiers built from names Lakeshift does not control (source tables and columns). */
public final class SparkNames {

    private SparkNames() {
    }

    /** A column or table name quoted for Spark SQL, a backtick inside it doubled. */
    public static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
