package io.lakeshift.cli;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every lakeshift command takes; mixed into each command. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config merged over the embedded defaults.")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data folder: catalog, warehouse, checkpoints, offsets (default: ./lakeshift-data).")
    Path dataDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set kafka.bootstrapServers=broker:9092 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces and debug logs.")
    boolean verbose;

    /** Loads and validates the configuration; throws ConfigException naming each bad key. */
    public LakeshiftConfig load() {
        return ConfigLoader.load(config, dataDir, overrides);
    }

    public boolean verbose() {
        return verbose;
    }
}
