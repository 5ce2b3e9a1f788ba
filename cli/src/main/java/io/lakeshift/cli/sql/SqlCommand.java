package io.lakeshift.cli.sql;

import io.lakeshift.batch.SqlRunner;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SparkSettings;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeshift sql}: one Spark SQL statement against the lakehouse catalog. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs a Spark SQL query against the lakehouse catalog, for example:",
            "  lakeshift sql \"SELECT count(*) FROM lakeshift.retail.orders\"",
            "Time travel: ... FROM lakeshift.retail.orders FOR VERSION AS OF <snapshot-id>"})
public final class SqlCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL statement.")
    String query;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (aligned text), csv or json. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000", description = "Print at most N rows. Default: ${DEFAULT-VALUE}.")
    int maxRows;

    @Override
    public Integer call() {
        ResultFormatter.Format output = parseFormat(format);
        LakeshiftConfig config = common.load();
        IcebergCatalogs.prepareLocalStorage(config.catalog());
        SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-sql")).getOrCreate();
        try {
            spark.sql("USE " + config.catalog().name());
            SqlRunner.QueryResult result = SqlRunner.run(spark, query, maxRows);
            System.out.print(ResultFormatter.format(result, output));
            System.out.flush();
            return 0;
        } finally {
            spark.stop();
        }
    }

    private static ResultFormatter.Format parseFormat(String text) {
        try {
            return ResultFormatter.Format.valueOf(text.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new SqlCommand()),
                    "--format must be table, csv or json, not '" + text + "'");
        }
    }
}
