package io.lakeshift.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments of a job main class, the same whether it runs under the lakeshift command
 * or spark-submit: {@code --config FILE}, {@code --data-dir DIR}, {@code --set key=value}
 * (repeatable), plus job options {@code --name value} declared by the job.
 */
public final class JobArguments {

    private final Path config;
    private final Path dataDir;
    private final List<String> overrides;
    private final Map<String, String> options;

    private JobArguments(Path config, Path dataDir, List<String> overrides, Map<String, String> options) {
        this.config = config;
        this.dataDir = dataDir;
        this.overrides = List.copyOf(overrides);
        this.options = Map.copyOf(options);
    }

    /**
     * @param args the arguments
     * @param jobOptions names (without {@code --}) of the options this job accepts
     * @throws ConfigException for an unknown option or a missing value
     */
    public static JobArguments parse(String[] args, Set<String> jobOptions) {
        Path config = null;
        Path dataDir = null;
        List<String> overrides = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigException(arg, "unexpected argument; options are --config, --data-dir, --set and --"
                        + String.join(", --", jobOptions));
            }
            String name = arg.substring(2);
            if (i + 1 >= args.length) {
                throw new ConfigException(arg, "needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "config" -> config = Path.of(value);
                case "data-dir" -> dataDir = Path.of(value);
                case "set" -> overrides.add(value);
                default -> {
                    if (!jobOptions.contains(name)) {
                        throw new ConfigException(arg, "unknown option; options are --config, --data-dir, --set and --"
                                + String.join(", --", jobOptions));
                    }
                    options.put(name, value);
                }
            }
        }
        return new JobArguments(config, dataDir, overrides, options);
    }

    /**
     * Loads the configuration: overrides handed down by a parent lakeshift process in the
     * environment variable {@value #INHERITED_OVERRIDES} (one {@code key=value} per line, so that
     * passwords never appear on a command line) first, then this job's own {@code --set}s.
     */
    public LakeshiftConfig loadConfig() {
        List<String> all = new ArrayList<>(inheritedOverrides());
        all.addAll(overrides);
        return ConfigLoader.load(config, dataDir, all);
    }

    /** The environment variable a parent lakeshift process passes its {@code --set} overrides in. */
    public static final String INHERITED_OVERRIDES = "LAKESHIFT_SET";

    /** The overrides in {@value #INHERITED_OVERRIDES}, or none. */
    public static List<String> inheritedOverrides() {
        String inherited = System.getenv(INHERITED_OVERRIDES);
        if (inherited == null || inherited.isBlank()) {
            return List.of();
        }
        return inherited.lines().filter(l -> !l.isBlank()).toList();
    }

    public String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }
}
