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
     * @param values the same values typed for JSON: numbers, booleans, ISO-8601 text for dates and
     *     timestamps, base64 for binary, text for the rest; null for SQL NULL
     */
    public record QueryResult(List<String> columns, List<List<String>> rows, List<List<Object>> values) {

        public QueryResult(List<String> columns, List<List<String>> rows) {
            this(columns, rows, List.copyOf(rows.stream().map(r -> (List<Object>) new ArrayList<Object>(r)).toList()));
        }
    }

    private SqlRunner() {
    }

    public static QueryResult run(SparkSession spark, String sql, int maxRows) {
        Dataset<Row> result = spark.sql(sql);
        List<String> columns = Arrays.asList(result.columns());
        List<List<String>> rows = new ArrayList<>();
        List<List<Object>> typed = new ArrayList<>();
        for (Row row : result.limit(maxRows).collectAsList()) {
            List<String> values = new ArrayList<>(row.length());
            List<Object> typedValues = new ArrayList<>(row.length());
            for (int i = 0; i < row.length(); i++) {
                values.add(row.isNullAt(i) ? null : text(row.get(i)));
                typedValues.add(row.isNullAt(i) ? null : typed(row.get(i)));
            }
            rows.add(values);
            typed.add(typedValues);
        }
        return new QueryResult(columns, rows, typed);
    }

    /** A value as JSON should carry it: numbers and booleans as they are, time as ISO-8601, the rest as text. */
    static Object typed(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (value instanceof java.time.temporal.TemporalAccessor t) {
            return t.toString();
        }
        return text(value);
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
