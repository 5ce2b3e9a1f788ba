package io.lakeshift.orchestration.dags;

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
 * @param sparkApplication the Lakeshift jar as the workers see it (SparkSubmitOperator)
 * @param sparkMainClass the jar's main class (SparkSubmitOperator)
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
    public static final String DEFAULT_SPARK_APPLICATION = "/opt/lakeshift/lakeshift.jar";
    public static final String DEFAULT_MAIN_CLASS = "io.lakeshift.cli.Main";
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

    /** {@code batch run <pipeline> [--config FILE]}. */
    List<String> lakeshiftArgs(String pipeline) {
        List<String> args = new ArrayList<>(List.of("batch", "run", pipeline));
        if (workerConfig != null) {
            args.add("--config");
            args.add(workerConfig);
        }
        return args;
    }

    List<String> lakeshiftCommand(String pipeline) {
        List<String> command = new ArrayList<>(List.of(lakeshiftCommand));
        command.addAll(lakeshiftArgs(pipeline));
        return command;
    }

    /** The Spark settings of the configuration, sorted so the output is stable. */
    Map<String, String> sparkConf(SparkConfig spark) {
        Map<String, String> conf = new TreeMap<>();
        if (spark != null) {
            conf.put("spark.sql.shuffle.partitions", Integer.toString(spark.shufflePartitions()));
            conf.putAll(spark.conf());
        }
        return conf;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
