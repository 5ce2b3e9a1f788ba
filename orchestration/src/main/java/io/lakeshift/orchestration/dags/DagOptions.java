package io.lakeshift.orchestration.dags;

import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SparkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How generated DAGs run a pipeline's batch job.
 *
 * @param operator BashOperator or SparkSubmitOperator
 * @param lakeshiftCommand the lakeshift command on the Airflow workers (BashOperator)
 * @param workerConfig the Lakeshift configuration file on the workers, passed as {@code --config}; null for none
 * @param sparkApplication the batch jobs jar as the workers see it (SparkSubmitOperator), built by
 *     {@code mvn -Pjobs-jar -pl batch-jobs -am package} as {@code batch-jobs/target/lakeshift-batch-jobs-<version>-jobs.jar}
 * @param sparkMainClass the jar's main class (SparkSubmitOperator): the full-reload job, which takes
 *     {@code --pipeline NAME [--config FILE]}
 * @param sparkConnId the Airflow connection naming the Spark master (SparkSubmitOperator)
 */
public record DagOptions(
        DagOperator operator,
        String lakeshiftCommand,
        String workerConfig,
        String sparkApplication,
        String sparkMainClass,
        String sparkConnId) {

    public static final String DEFAULT_COMMAND = "lakeshift";
    public static final String DEFAULT_SPARK_APPLICATION = "/opt/lakeshift/lakeshift-batch-jobs-jobs.jar";
    public static final String DEFAULT_MAIN_CLASS = "io.lakeshift.batch.FullReloadJob";
    /** The batch job a legacy pipeline's DAG runs. */
    public static final String BATCH_JOB = "full-reload";
    public static final String DEFAULT_CONN_ID = "spark_default";

    public DagOptions {
        Objects.requireNonNull(operator, "operator");
        lakeshiftCommand = orDefault(lakeshiftCommand, DEFAULT_COMMAND);
        workerConfig = workerConfig == null || workerConfig.isBlank() ? null : workerConfig;
        sparkApplication = orDefault(sparkApplication, DEFAULT_SPARK_APPLICATION);
        sparkMainClass = orDefault(sparkMainClass, DEFAULT_MAIN_CLASS);
        sparkConnId = orDefault(sparkConnId, DEFAULT_CONN_ID);
    }

    /** The defaults for this operator. */
    public static DagOptions of(DagOperator operator) {
        return new DagOptions(operator, null, null, null, null, null);
    }

    public DagOptions withWorkerConfig(String path) {
        return new DagOptions(operator, lakeshiftCommand, path, sparkApplication, sparkMainClass, sparkConnId);
    }

    public DagOptions withLakeshiftCommand(String command) {
        return new DagOptions(operator, command, workerConfig, sparkApplication, sparkMainClass, sparkConnId);
    }

    public DagOptions withSparkApplication(String jar) {
        return new DagOptions(operator, lakeshiftCommand, workerConfig, jar, sparkMainClass, sparkConnId);
    }

    public DagOptions withSparkConnId(String connId) {
        return new DagOptions(operator, lakeshiftCommand, workerConfig, sparkApplication, sparkMainClass, connId);
    }

    /** The batch job's own arguments, the same under lakeshift and spark-submit: {@code --pipeline <pipeline> [--config FILE]}. */
    List<String> jobArgs(String pipeline) {
        List<String> args = new ArrayList<>(List.of("--pipeline", pipeline));
        if (workerConfig != null) {
            args.add("--config");
            args.add(workerConfig);
        }
        return args;
    }

    /** {@code <lakeshift> batch run full-reload --pipeline <pipeline> [--config FILE]}. */
    List<String> lakeshiftCommand(String pipeline) {
        List<String> command = new ArrayList<>(List.of(lakeshiftCommand, "batch", "run", BATCH_JOB));
        command.addAll(jobArgs(pipeline));
        return command;
    }

    /**
     * The Spark settings of the configuration, sorted so the output is stable, without those whose
     * keys look secret: a DAG file is read by everyone with access to the DAG folder, and the job
     * applies them itself from its configuration on the worker (where they may be env: references).
     */
    Map<String, String> sparkConf(SparkConfig spark) {
        Map<String, String> conf = new TreeMap<>();
        if (spark != null) {
            conf.put("spark.sql.shuffle.partitions", Integer.toString(spark.shufflePartitions()));
            spark.conf().forEach((key, value) -> {
                if (!Secret.looksSecret(key)) {
                    conf.put(key, value);
                }
            });
        }
        return conf;
    }

    /** The keys of Spark settings left out of the DAG file because they look secret, sorted. */
    List<String> secretSparkKeys(SparkConfig spark) {
        return spark == null ? List.of() : spark.conf().keySet().stream().filter(Secret::looksSecret).sorted().toList();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
