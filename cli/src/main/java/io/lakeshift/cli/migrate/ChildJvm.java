package io.lakeshift.cli.migrate;

import io.lakeshift.core.config.JobArguments;
import io.lakeshift.orchestration.launcher.JobSpec;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A job the migration starts as a child JVM: this process's classpath and the JVM options Spark
 * needs. The {@code --set} overrides go in the environment ({@value JobArguments#INHERITED_OVERRIDES},
 * read by every lakeshift command and job), never on the command line, where any user of the
 * machine could read a password with {@code ps}.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    static JobSpec spec(String jobId, String mainClass, List<String> args, List<String> overrides) {
        List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Xmx") || a.startsWith("-Djdk.reflect")
                        || a.startsWith("-Dlog4j") || a.startsWith("-Dlakeshift.log"))
                .toList();
        return JobSpec.of(jobId, mainClass, classpath).withArgs(args).withJvmOptions(jvm)
                .withEnvironment(Map.of(JobArguments.INHERITED_OVERRIDES, String.join("\n", overrides)));
    }
}
