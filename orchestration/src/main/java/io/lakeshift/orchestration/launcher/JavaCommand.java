package io.lakeshift.orchestration.launcher;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** {@code java [jvm options] -cp <classpath> <main class> [args]} with a given java executable. */
final class JavaCommand implements Function<JobSpec, List<String>> {

    private final Path java;

    JavaCommand(Path java) {
        this.java = java;
    }

    /** The java of the running JVM: the job runs on the same Java as the command that starts it. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Override
    public List<String> apply(JobSpec spec) {
        if (spec.classpath().isEmpty()) {
            throw new JobLaunchException("job '" + spec.jobId() + "' has an empty classpath");
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(spec.jvmOptions());
        command.add("-cp");
        command.add(String.join(File.pathSeparator, spec.classpath()));
        command.add(spec.mainClass());
        command.addAll(spec.args());
        return command;
    }
}
