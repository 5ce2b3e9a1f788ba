package io.lakeshift.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Runs one SQL statement against the lakehouse catalog and returns its rows as text. */
public final class SqlRunner {

    /**
     * @param columns column names
     * @param rows row values as text, null for SQL NULL
     */
    public record QueryResult(List<String> columns, List<List<String>> rows) {
    }

    private SqlRunner() {
    }

    public static QueryResult run(SparkSession spark, String sql, int maxRows) {
        Dataset<Row> result = spark.sql(sql);
        List<String> columns = Arrays.asList(result.columns());
        List<List<String>> rows = new ArrayList<>();
        for (Row row : result.limit(maxRows).collectAsList()) {
            List<String> values = new ArrayList<>(row.length());
            for (int i = 0; i < row.length(); i++) {
                values.add(row.isNullAt(i) ? null : text(row.get(i)));
            }
            rows.add(values);
        }
        return new QueryResult(columns, rows);
    }

    private static String text(Object value) {
        if (value instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof byte[] bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        return String.valueOf(value);
    }
}
