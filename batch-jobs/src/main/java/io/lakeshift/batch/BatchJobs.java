package io.lakeshift.batch;

import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.CatalogRuntime;
import io.lakeshift.lakehouse.SparkSettings;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The batch jobs Lakeshift ships, and what each job's main class does. */
public final class BatchJobs {

    private static final Logger LOG = LoggerFactory.getLogger(BatchJobs.class);

    private BatchJobs() {
    }

    /** Every job, in the order {@code lakeshift batch run --help} lists them. */
    public static List<BatchJob> all() {
        return List.of(new FullReloadJob.Job(), new DailyRevenueJob.Job(), new MaintenanceJob());
    }

    public static Optional<BatchJob> find(String name) {
        return all().stream().filter(j -> j.name().equals(name)).findFirst();
    }

    /** The Spark session a job runs in: Lakeshift's settings; under spark-submit, the master spark-submit set. */
    public static SparkSession session(LakeshiftConfig config, String appName) {
        return SparkSession.builder().config(SparkSettings.of(config, appName)).getOrCreate();
    }

    /**
     * A job's main: parse {@code --config}, {@code --data-dir}, {@code --set} and the job's options,
     * make the catalog ready, run in a Spark session, stop everything. A failure propagates, so the
     * process (and spark-submit) exits non-zero.
     */
    public static String runMain(BatchJob job, String[] args) throws Exception {
        JobArguments arguments = JobArguments.parse(args, job.options());
        LakeshiftConfig config = arguments.loadConfig();
        try (CatalogRuntime catalog = CatalogRuntime.start(config)) {
            SparkSession spark = session(catalog.config(), "lakeshift-" + job.name());
            try {
                String result = job.run(spark, catalog.config(), arguments);
                LOG.info("{}: {}", job.name(), result);
                return result;
            } finally {
                spark.stop();
            }
        }
    }
}
