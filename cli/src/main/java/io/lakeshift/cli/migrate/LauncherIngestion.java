package io.lakeshift.cli.migrate;

import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.migration.Ingestion;
import io.lakeshift.orchestration.launcher.JobLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration's {@code start-ingestion} step: a source already captured (its status under
 * {@code <dataDir>/status/sources} is fresh and running, whoever runs the ingestion service) is
 * left alone; otherwise {@code lakeshift ingest --source <name>} is started as a child process
 * ({@code ingest-<source>}, log under {@code <dataDir>/jobs}) and awaited until it captures.
 */
final class LauncherIngestion implements Ingestion {

    private static final Logger LOG = LoggerFactory.getLogger(LauncherIngestion.class);
    /** A status older than this is a service that no longer runs. */
    static final Duration STALE = Duration.ofMinutes(2);
    private static final Duration START = Duration.ofMinutes(3);
    private static final Set<String> CAPTURING = Set.of("SNAPSHOTTING", "STREAMING");

    private final LakeshiftConfig config;
    private final Path userConfig;
    private final List<String> overrides;
    private final JobLauncher launcher;

    LauncherIngestion(LakeshiftConfig config, Path userConfig, List<String> overrides, JobLauncher launcher) {
        this.config = config;
        this.userConfig = userConfig;
        this.overrides = List.copyOf(overrides);
        this.launcher = launcher;
    }

    @Override
    public void ensureCapturing(SourceConfig source) {
        if (capturing(source)) {
            return;
        }
        if (config.kafka().embedded() || source.embedded()) {
            throw new IllegalStateException("source '" + source.name() + "' is not being captured into Kafka (" + describe(source)
                    + "), and with an embedded " + (source.embedded() ? "source database" : "Kafka broker")
                    + " the migration cannot start it for you: run 'lakeshift ingest' against a real Kafka cluster first");
        }
        String id = "ingest-" + source.name().replaceAll("[^A-Za-z0-9._-]", "_");
        if (!launcher.status(id).running()) {
            List<String> args = new ArrayList<>(List.of("ingest", "--source", source.name(), "--data-dir",
                    config.dataDir().toString()));
            if (userConfig != null) {
                args.addAll(List.of("--config", userConfig.toString()));
            }
            launcher.start(ChildJvm.spec(id, "io.lakeshift.cli.Main", args, overrides));
            LOG.info("Started the ingestion service for source '{}' as job {} (log under {})", source.name(), id,
                    config.dataDir().resolve("jobs"));
        }
        long deadline = System.nanoTime() + START.toNanos();
        while (!capturing(source)) {
            if (!launcher.status(id).running()) {
                throw new IllegalStateException("the ingestion service for source '" + source.name() + "' (job " + id
                        + ") stopped before capturing: see " + config.dataDir().resolve("jobs").resolve(id + ".log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ingestion service for source '" + source.name() + "' is not capturing after "
                        + START + " (" + describe(source) + "): see " + config.dataDir().resolve("jobs").resolve(id + ".log"));
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting ingestion for source '" + source.name() + "'", e);
            }
        }
    }

    private boolean capturing(SourceConfig source) {
        return status(source).filter(s -> CAPTURING.contains(s.state())
                && System.currentTimeMillis() - s.updatedAtMs() <= STALE.toMillis()).isPresent();
    }

    private String describe(SourceConfig source) {
        return status(source).map(s -> "status " + s.state() + ", " + (System.currentTimeMillis() - s.updatedAtMs()) / 1000
                + " s old").orElse("no status") + " under " + config.dataDir().resolve("status/sources");
    }

    private Optional<ComponentStatus> status(SourceConfig source) {
        return new StatusFiles(config.dataDir(), "sources").readAll().stream()
                .filter(s -> s.name().equals(source.name())).findFirst();
    }
}
