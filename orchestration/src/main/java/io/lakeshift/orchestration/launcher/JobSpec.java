package io.lakeshift.orchestration.launcher;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What to run: a Java main class with its classpath and arguments.
 *
 * @param jobId the job's id, also the base name of its pid and log files (letters, digits, '.', '_', '-')
 * @param mainClass the main class
 * @param classpath jars and class folders; for spark-submit the first entry is the application jar and the rest go to {@code --jars}
 * @param args program arguments
 * @param jvmOptions JVM options ({@code -Xmx2g}, {@code --add-opens=...}); for spark-submit the driver's
 * @param environment extra environment variables of the process
 * @param sparkConf Spark settings, for spark-submit only (over the configuration's spark.conf)
 */
public record JobSpec(
        String jobId,
        String mainClass,
        List<String> classpath,
        List<String> args,
        List<String> jvmOptions,
        Map<String, String> environment,
        Map<String, String> sparkConf) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public JobSpec {
        Objects.requireNonNull(jobId, "jobId");
        if (!ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("job id '" + jobId
                    + "' must be letters, digits, '.', '_' or '-' (it names the job's files), 128 at most");
        }
        if (mainClass == null || mainClass.isBlank()) {
            throw new IllegalArgumentException("job '" + jobId + "' needs a main class");
        }
        classpath = classpath == null ? List.of() : List.copyOf(classpath);
        args = args == null ? List.of() : List.copyOf(args);
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        environment = environment == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(environment));
        sparkConf = sparkConf == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(sparkConf));
    }

    public static JobSpec of(String jobId, String mainClass, List<String> classpath) {
        return new JobSpec(jobId, mainClass, classpath, null, null, null, null);
    }

    public JobSpec withArgs(List<String> newArgs) {
        return new JobSpec(jobId, mainClass, classpath, newArgs, jvmOptions, environment, sparkConf);
    }

    public JobSpec withJvmOptions(List<String> options) {
        return new JobSpec(jobId, mainClass, classpath, args, options, environment, sparkConf);
    }

    public JobSpec withEnvironment(Map<String, String> variables) {
        return new JobSpec(jobId, mainClass, classpath, args, jvmOptions, variables, sparkConf);
    }

    public JobSpec withSparkConf(Map<String, String> conf) {
        return new JobSpec(jobId, mainClass, classpath, args, jvmOptions, environment, conf);
    }
}
