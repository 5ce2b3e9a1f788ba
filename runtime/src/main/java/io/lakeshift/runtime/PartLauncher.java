package io.lakeshift.runtime;

import io.lakeshift.core.config.JobArguments;
import io.lakeshift.runtime.stack.ParentWatch;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a part of the runtime as a child JVM running a lakeshift command: the same java, classpath
 * and JVM flags as this process, its own heap, its log in {@code <data-dir>/logs/<part>.log} and its
 * console in {@code <data-dir>/logs/<part>.out}. The configuration reaches it as the same
 * {@code --config} file and data folder; {@code --set} overrides travel in its environment, never on
 * its command line, where any user of the machine could read a password among them.
 */
public final class PartLauncher {

    /** The main class of the {@code lakeshift} command, which every part runs. */
    public static final String MAIN_CLASS = "io.lakeshift.cli.Main";

    private final Path configFile;
    private final Path dataDir;
    private final List<String> overrides;

    public PartLauncher(Path configFile, Path dataDir, List<String> overrides) {
        this.configFile = configFile == null ? null : configFile.toAbsolutePath();
        this.dataDir = dataDir.toAbsolutePath();
        this.overrides = List.copyOf(overrides);
    }

    Process start(String part, String heap, List<String> command) throws IOException {
        Path logs = dataDir.resolve("logs");
        Files.createDirectories(logs);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("--add-opens") || option.startsWith("-Djdk.reflect") || option.startsWith("-Dlog4j")) {
                cmd.add(option);
            }
        }
        if (System.getProperty("lakeshift.log.level") != null) { // --verbose: the parts log at debug too
            cmd.add("-Dlakeshift.log.level=" + System.getProperty("lakeshift.log.level"));
        }
        cmd.add("-Xmx" + heap);
        cmd.add("-Dlakeshift.log.dir=" + logs);
        cmd.add("-Dlakeshift.log.name=" + part);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN_CLASS);
        cmd.addAll(command);
        if (configFile != null) {
            cmd.add("--config");
            cmd.add(configFile.toString());
        }
        cmd.add("--data-dir");
        cmd.add(dataDir.toString());
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(part + ".out").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(ParentWatch.PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        builder.environment().put(JobArguments.INHERITED_OVERRIDES, String.join("\n", overrides));
        return builder.start();
    }

    Path dataDir() {
        return dataDir;
    }
}
