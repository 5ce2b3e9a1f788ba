package io.lakeshift.orchestration.launcher;

import io.lakeshift.core.config.Secret;
import io.lakeshift.core.config.SparkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code spark-submit --master <spark.master> --deploy-mode <mode> --name <job id> --class <main>
 * [--conf k=v]... [--driver-java-options ...] [--jars ...] <application jar> [args]}. Settings:
 * spark.shufflePartitions and spark.conf from the configuration, then the job's own.
 *
 * <p>Settings whose keys look secret ({@link Secret#looksSecret}) never go on the command line,
 * which every user of the machine can read: the job applies the configuration's own from its
 * config file when it builds its Spark session, and a job's own secret setting is refused.
 */
final class SparkSubmitCommand implements Function<JobSpec, List<String>> {

    private final String sparkSubmit;
    private final SparkConfig spark;
    private final String deployMode;

    SparkSubmitCommand(String sparkSubmit, SparkConfig spark, String deployMode) {
        this.sparkSubmit = sparkSubmit;
        this.spark = spark;
        this.deployMode = deployMode;
    }

    @Override
    public List<String> apply(JobSpec spec) {
        if (spec.classpath().isEmpty()) {
            throw new JobLaunchException("spark job '" + spec.jobId() + "' needs its application jar as first classpath entry");
        }
        List<String> command = new ArrayList<>(List.of(sparkSubmit,
                "--master", spark.master(),
                "--deploy-mode", deployMode,
                "--name", spec.jobId(),
                "--class", spec.mainClass()));
        Map<String, String> conf = new TreeMap<>();
        conf.put("spark.sql.shuffle.partitions", Integer.toString(spark.shufflePartitions()));
        spark.conf().forEach((key, value) -> {
            if (!Secret.looksSecret(key)) {
                conf.put(key, value);
            }
        });
        spec.sparkConf().keySet().stream().filter(Secret::looksSecret).findFirst().ifPresent(key -> {
            throw new JobLaunchException("spark job '" + spec.jobId() + "' would put the secret setting " + key
                    + " on the spark-submit command line: set it in spark.conf of the job's configuration instead");
        });
        conf.putAll(spec.sparkConf());
        conf.forEach((key, value) -> {
            command.add("--conf");
            command.add(key + "=" + value);
        });
        if (!spec.jvmOptions().isEmpty()) {
            command.add("--driver-java-options");
            command.add(String.join(" ", spec.jvmOptions()));
        }
        List<String> jars = spec.classpath().subList(1, spec.classpath().size());
        if (!jars.isEmpty()) {
            command.add("--jars");
            command.add(String.join(",", jars));
        }
        command.add(spec.classpath().get(0));
        command.addAll(spec.args());
        return command;
    }
}
