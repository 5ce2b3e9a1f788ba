package io.lakeshift.core.config;

import java.util.List;

/** Configuration that cannot be used; every problem names its key and says why. */
public class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String key, String reason) {
        this(List.of(key + ": " + reason));
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "invalid configuration: " + problems.get(0);
        }
        return "invalid configuration (" + problems.size() + " problems):\n  - " + String.join("\n  - ", problems);
    }
}
