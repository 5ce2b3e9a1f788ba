package io.lakeshift.orchestration.dags;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The Airflow operator that runs a pipeline's batch job in a generated DAG. */
public enum DagOperator {

    /** {@code lakeshift batch run full-reload --pipeline <pipeline>} on the Airflow worker, which needs the lakeshift command. */
    BASH("bash", "BashOperator", """
            try:
                from airflow.providers.standard.operators.bash import BashOperator
            except ImportError:  # Airflow 2
                from airflow.operators.bash import BashOperator
            """),

    /**
     * The batch jobs jar ({@code mvn -Pjobs-jar -pl batch-jobs -am package}) submitted to Spark by the
     * Apache Spark provider: main class {@code io.lakeshift.batch.FullReloadJob}, arguments {@code --pipeline <pipeline>}.
     */
    SPARK_SUBMIT("spark-submit", "SparkSubmitOperator", """
            from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
            """);

    private final String cliName;
    private final String className;
    private final String imports;

    DagOperator(String cliName, String className, String imports) {
        this.cliName = cliName;
        this.className = className;
        this.imports = imports;
    }

    /** The Airflow operator class the generated task extends. */
    String className() {
        return className;
    }

    /** The name on the command line: {@code bash} or {@code spark-submit}. */
    public String cliName() {
        return cliName;
    }

    String imports() {
        return imports;
    }

    /** Parses {@code bash} or {@code spark-submit}. */
    public static DagOperator fromCliName(String name) {
        for (DagOperator operator : values()) {
            if (operator.cliName.equalsIgnoreCase(name) || operator.name().equalsIgnoreCase(name)) {
                return operator;
            }
        }
        throw new IllegalArgumentException("unknown operator '" + name + "': expected one of "
                + Arrays.stream(values()).map(DagOperator::cliName).collect(Collectors.joining(", ")));
    }
}
