package io.lakeshift.tests.up;

import io.lakeshift.batch.TableComparator;
import io.lakeshift.batch.TableComparison;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.SparkSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Compares lake tables with their source, as a user would check them: Spark reading the lake through
 * the catalog that {@code lakeshift up} serves, the source over JDBC, row for row on every column.
 * One SparkSession for the test JVM. A source without JDBC (a file drop) is read through the lake only.
 */
final class LakeCheck implements AutoCloseable {

    private final SparkSession spark;
    private final LakeshiftConfig config;
    private final TableComparator comparator;

    /**
     * @param config the configuration {@code up} runs with (its catalog is attached to)
     * @param sourceUrl the source's JDBC URL
     * @param credentials {@code user} and {@code password} of the source
     */
    LakeCheck(LakeshiftConfig config, String sourceUrl, Map<String, String> credentials) {
        this.config = config;
        this.spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-test-check")).getOrCreate();
        this.comparator = sourceUrl == null ? null : new TableComparator(spark, sourceUrl, credentials);
    }

    /** The lake only, for a source that has no JDBC side (a file drop): {@link #compare} is not available. */
    LakeCheck(LakeshiftConfig config) {
        this(config, null, Map.of());
    }

    /**
     * @param expected per lake table ({@code namespace.table}), the source query that gives its expected
     *     rows with the lake's column names, e.g. {@code (SELECT "Id" AS id FROM erp."Customer") q}
     */
    List<TableComparison> compare(Map<String, String> expected) {
        if (comparator == null) {
            throw new IllegalStateException("this check has no source to compare with");
        }
        List<TableComparison> results = new ArrayList<>();
        expected.forEach((table, query) -> results.add(comparator.compare(table, comparator.source(query),
                qualified(table))));
        return results;
    }

    /** {@code namespace.table} in the catalog {@code up} serves. */
    String qualified(String table) {
        return config.catalog().name() + "." + table;
    }

    /** The rows of a query, each as Spark prints a row: {@code [1,12.00,null]}. */
    List<String> rows(String sql) {
        return spark.sql(sql).collectAsList().stream().map(Object::toString).toList();
    }

    long count(String sql) {
        return spark.sql(sql).first().getLong(0);
    }

    void refresh(String table) {
        spark.sql("REFRESH TABLE " + qualified(table));
    }

    @Override
    public void close() {
        spark.stop();
    }
}
