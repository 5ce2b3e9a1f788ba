package io.lakeshift.batch;

import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.SparkSettings;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A downstream batch job of the kind that keeps running after a pipeline moves to streaming: it
 * reads the current-state orders and order lines tables and writes daily revenue per customer.
 * It cannot tell whether batch or streaming wrote its inputs.
 *
 * <pre>
 * spark-submit --class io.lakeshift.batch.DailyRevenueJob lakeshift-jobs.jar --config lakeshift.yaml
 * </pre>
 */
public final class DailyRevenueJob {

    private static final Logger LOG = LoggerFactory.getLogger(DailyRevenueJob.class);

    /** Revenue of a line: quantity times unit price less its discount, rounded to cents per day. */
    private static final String REVENUE_SQL = """
            SELECT o.customer_id,
                   o.order_date,
                   count(DISTINCT o.order_id) AS orders,
                   CAST(round(sum(l.quantity * l.unit_price * (1 - coalesce(l.discount, 0))), 2) AS DECIMAL(18,2)) AS revenue
            FROM %s o JOIN %s l ON l.order_id = o.order_id
            GROUP BY o.customer_id, o.order_date
            """;

    private DailyRevenueJob() {
    }

    /**
     * The mart's query over the given orders and order lines tables; plain SQL that Spark and
     * PostgreSQL both run, so the demo can have the source compute the expected answer.
     */
    public static String revenueQuery(String orders, String orderLines) {
        return REVENUE_SQL.formatted(orders, orderLines);
    }

    public static void main(String[] args) {
        JobArguments arguments = JobArguments.parse(args, Set.of("namespace", "target"));
        LakeshiftConfig config = arguments.loadConfig();
        SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-daily-revenue")).getOrCreate();
        try {
            long rows = run(spark, config.catalog().name(), arguments.option("namespace", config.sources().get(0).name()),
                    arguments.option("target", "marts.daily_revenue"));
            LOG.info("daily revenue: {} rows", rows);
        } finally {
            spark.stop();
        }
    }

    /**
     * Recomputes the mart and replaces its content in one Iceberg commit.
     *
     * @return rows written
     */
    public static long run(SparkSession spark, String catalog, String namespace, String target) {
        String orders = catalog + "." + namespace + ".orders";
        String lines = catalog + "." + namespace + ".order_lines";
        String mart = catalog + "." + target;
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + mart.substring(0, mart.lastIndexOf('.')));
        spark.sql("REFRESH TABLE " + orders);
        spark.sql("REFRESH TABLE " + lines);
        var result = spark.sql(revenueQuery(orders, lines));
        result.writeTo(mart).using("iceberg").tableProperty("format-version", "2").createOrReplace();
        long rows = spark.table(mart).count();
        LOG.info("Wrote {} rows of daily revenue per customer to {}", rows, mart);
        return rows;
    }
}
