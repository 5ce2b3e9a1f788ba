package io.lakeshift.orchestration.launcher;

import io.lakeshift.core.config.SparkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/** The {@link JobLauncher}s: a plain local JVM, or spark-submit to the configured master. */
public final class JobLaunchers {

    /** How long a job may take to shut down after the polite signal before it is killed. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);
    private static final Set<String> DEPLOY_MODES = Set.of("client", "cluster");

    private JobLaunchers() {
    }

    /** Jobs as child JVMs on this machine, with the java of the running JVM. */
    public static JobLauncher local(Path stateDir) {
        return local(stateDir, JavaCommand.currentJava(), DEFAULT_STOP_GRACE);
    }

    public static JobLauncher local(Path stateDir, Path java, Duration stopGrace) {
        return new ProcessJobLauncher("local", stateDir, new JavaCommand(java), stopGrace);
    }

    /**
     * Jobs through spark-submit to {@code spark.master}: {@code $SPARK_HOME/bin/spark-submit} when
     * SPARK_HOME is set, else spark-submit on the PATH; client deploy mode, so the job's status is
     * its driver's.
     */
    public static JobLauncher sparkSubmit(SparkConfig spark, Path stateDir) {
        String home = System.getenv("SPARK_HOME");
        String sparkSubmit = home == null || home.isBlank() ? "spark-submit" : Path.of(home, "bin", "spark-submit").toString();
        return sparkSubmit(spark, stateDir, sparkSubmit, "client", DEFAULT_STOP_GRACE);
    }

    /**
     * @param sparkSubmit the spark-submit executable
     * @param deployMode {@code client} or {@code cluster} (in cluster mode the status is the submitting process's)
     */
    public static JobLauncher sparkSubmit(SparkConfig spark, Path stateDir, String sparkSubmit, String deployMode,
            Duration stopGrace) {
        Objects.requireNonNull(spark, "spark");
        if (!DEPLOY_MODES.contains(deployMode)) {
            throw new IllegalArgumentException("deploy mode must be client or cluster, got '" + deployMode + "'");
        }
        return new ProcessJobLauncher("spark-submit", stateDir, new SparkSubmitCommand(sparkSubmit, spark, deployMode),
                stopGrace);
    }
}
