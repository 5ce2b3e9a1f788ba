package io.lakeshift.orchestration.dags;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The Airflow operator that runs a pipeline's batch job in a generated DAG. */
public enum DagOperator {

    /** {@code lakeshift batch run <pipeline>} on the Airflow worker, which needs the lakeshift command. */
    BASH("bash", """
            try:
                from airflow.providers.standard.operators.bash import BashOperator
            except ImportError:  # Airflow 2
                from airflow.operators.bash import BashOperator
            """),

    /** The Lakeshift jar submitted to Spark by the Apache Spark provider, with {@code batch run <pipeline>} as arguments. */
    SPARK_SUBMIT("spark-submit", """
            from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
            """);

    private final String cliName;
    private final String imports;

    DagOperator(String cliName, String imports) {
        this.cliName = cliName;
        this.imports = imports;
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
