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
 * One SparkSession for the test JVM.
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
        this.comparator = new TableComparator(spark, sourceUrl, credentials);
    }

    /**
     * @param expected per lake table ({@code namespace.table}), the source query that gives its expected
     *     rows with the lake's column names, e.g. {@code (SELECT "Id" AS id FROM erp."Customer") q}
     */
    List<TableComparison> compare(Map<String, String> expected) {
        List<TableComparison> results = new ArrayList<>();
        expected.forEach((table, query) -> results.add(comparator.compare(table, comparator.source(query),
                config.catalog().name() + "." + table)));
        return results;
    }

    long count(String sql) {
        return spark.sql(sql).first().getLong(0);
    }

    void refresh(String table) {
        spark.sql("REFRESH TABLE " + config.catalog().name() + "." + table);
    }

    @Override
    public void close() {
        spark.stop();
    }
}
