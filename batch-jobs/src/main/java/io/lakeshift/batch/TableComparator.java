package io.lakeshift.batch;

import static org.apache.spark.sql.functions.col;

import io.lakeshift.lakehouse.LakeshiftColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Compares a source table, read over JDBC, with a lakehouse table, row for row on every source
 * column. Rows are compared as multisets ({@code exceptAll} both ways), so duplicates count. The
 * lakehouse side is cast to the source side's Spark types; bookkeeping columns are ignored.
 */
public final class TableComparator {

    private static final int SAMPLE = 5;

    private final SparkSession spark;
    private final String jdbcUrl;
    private final Map<String, String> jdbcCredentials;

    /**
     * @param jdbcCredentials {@code user} and {@code password}; Spark redacts them in plans and logs
     */
    public TableComparator(SparkSession spark, String jdbcUrl, Map<String, String> jdbcCredentials) {
        this.spark = spark;
        this.jdbcUrl = jdbcUrl;
        this.jdbcCredentials = Map.copyOf(jdbcCredentials);
    }

    /** Reads a source table or a {@code (SELECT ...) q} subquery over JDBC. */
    public Dataset<Row> source(String tableOrQuery) {
        return spark.read().format("jdbc")
                .option("url", jdbcUrl)
                .option("dbtable", tableOrQuery)
                .options(jdbcCredentials)
                .load();
    }

    public TableComparison compare(String name, Dataset<Row> source, String lakeTable) {
        spark.sql("REFRESH TABLE " + lakeTable);
        return compare(name, source, spark.table(lakeTable));
    }

    public static TableComparison compare(String name, Dataset<Row> source, Dataset<Row> lake) {
        List<String> lakeColumns = Arrays.asList(lake.columns());
        List<Column> aligned = new ArrayList<>();
        for (StructField field : source.schema().fields()) {
            if (LakeshiftColumns.isBookkeeping(field.name())) {
                continue;
            }
            if (!lakeColumns.contains(field.name())) {
                throw new IllegalStateException("lakehouse table for " + name + " has no column " + field.name());
            }
            aligned.add(col("`" + field.name() + "`").cast(field.dataType()).as(field.name()));
        }
        Dataset<Row> src = source.select(Arrays.stream(source.columns())
                .filter(c -> !LakeshiftColumns.isBookkeeping(c))
                .map(c -> col("`" + c + "`"))
                .toArray(Column[]::new)).cache();
        Dataset<Row> dst = lake.select(aligned.toArray(Column[]::new)).cache();
        try {
            Dataset<Row> missing = src.exceptAll(dst).cache();
            Dataset<Row> extra = dst.exceptAll(src).cache();
            TableComparison result = new TableComparison(name, src.count(), dst.count(), missing.count(), extra.count(),
                    sample(missing), sample(extra));
            missing.unpersist();
            extra.unpersist();
            return result;
        } finally {
            src.unpersist();
            dst.unpersist();
        }
    }

    private static List<String> sample(Dataset<Row> rows) {
        return rows.limit(SAMPLE).collectAsList().stream().map(Row::toString).toList();
    }
}
