package io.lakeshift.batch;

import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * A batch job that runs the same way from its own main class (locally or under spark-submit) and
 * from {@code lakeshift batch run <name>}: its settings come from the configuration, its options
 * from {@code --name value} arguments.
 */
public interface BatchJob {

    /** The name {@code lakeshift batch run} knows it by. */
    String name();

    /** One line for {@code --help}. */
    String description();

    /** The options it accepts, without {@code --}; each takes a value. */
    Set<String> options();

    /**
     * Runs the job.
     *
     * @param config the configuration, its catalog ready ({@link io.lakeshift.lakehouse.CatalogRuntime})
     * @return one line saying what it did
     */
    String run(SparkSession spark, LakeshiftConfig config, JobArguments arguments) throws Exception;
}
