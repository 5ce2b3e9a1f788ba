package io.lakeshift.cli.migrate;

import io.lakeshift.batch.SparkNames;
import io.lakeshift.migration.TableCopier;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Replaces a table's content with another's in one Iceberg overwrite commit (DataFrameWriterV2
 * {@code overwrite(true)}): readers see the old content or the new. The data is rewritten, so the
 * two tables never share files and each table's maintenance stays its own business.
 */
public final class SparkTableCopier implements TableCopier {

    private final SparkSession spark;
    private final String catalogName;

    public SparkTableCopier(SparkSession spark, String catalogName) {
        this.spark = spark;
        this.catalogName = catalogName;
    }

    @Override
    public long replaceContents(String from, String to, Map<String, String> summary) {
        String source = catalogName + "." + from;
        String target = catalogName + "." + to;
        spark.sql("REFRESH TABLE " + source);
        spark.sql("REFRESH TABLE " + target);
        String columns = Arrays.stream(spark.table(target).columns()).map(SparkNames::quote).collect(Collectors.joining(", "));
        var writer = spark.sql("SELECT " + columns + " FROM " + source).writeTo(target);
        for (Map.Entry<String, String> e : summary.entrySet()) {
            writer = writer.option("snapshot-property." + e.getKey(), e.getValue());
        }
        try {
            writer.overwrite(functions.lit(true));
            Table table = Spark3Util.loadIcebergTable(spark, target);
            table.refresh();
            spark.sql("REFRESH TABLE " + target);
            return table.currentSnapshot().snapshotId();
        } catch (Exception e) {
            throw new IllegalStateException("cannot replace the content of " + target + " with " + source + ": "
                    + e.getMessage(), e);
        }
    }
}
