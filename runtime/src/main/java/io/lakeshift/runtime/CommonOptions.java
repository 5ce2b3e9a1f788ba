package io.lakeshift.runtime;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.io.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    /**
     * Loads and validates the configuration; throws ConfigException naming each bad key. A data
     * folder that does not exist yet is created owner-only (0700), before any component puts state in it.
     */
    public LakeshiftConfig load() {
        List<String> all = new ArrayList<>(JobArguments.inheritedOverrides());
        all.addAll(overrides);
        LakeshiftConfig loaded = ConfigLoader.load(config, dataDir, all);
        try {
            OwnerOnly.createDirectories(loaded.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + loaded.dataDir(), e);
        }
        return loaded;
    }

    /** The config file given with {@code --config}, or null. */
    public Path configFile() {
        return config;
    }

    /** Every override this process was given: inherited ones first, then its own {@code --set}s. */
    public List<String> allOverrides() {
        List<String> all = new ArrayList<>(JobArguments.inheritedOverrides());
        all.addAll(overrides);
        return all;
    }

    public boolean verbose() {
        return verbose;
    }
}
