package io.lakeshift.cli.migrate;

import io.lakeshift.core.config.JobArguments;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.orchestration.launcher.JobLauncher;
import io.lakeshift.orchestration.launcher.JobSpec;
import io.lakeshift.orchestration.launcher.JobState;
import io.lakeshift.orchestration.launcher.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration's child processes get no secret on their command line, and their job configs hold references only. */
class MigrationChildSecretsTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"lake\" password=\"jaas-pw-1\";";

    @TempDir
    Path dir;

    @Test
    void streamingJobsGetOverridesInTheEnvironmentAndAConfigWithReferencesOnly() throws Exception {
        Path userConfig = Files.writeString(dir.resolve("lakeshift.yaml"), """
                kafka:
                  bootstrapServers: kafka.internal:9092
                  client:
                    security.protocol: SASL_SSL
                    sasl.jaas.config: '%s'
                sources:
                  - name: retail
                    kind: postgres
                    host: db.internal
                    database: retail
                    username: lakeshift
                    password: db-pw-2
                    tables: [retail.orders]
                catalog:
                  properties:
                    credential: env:HOME
                """.formatted(JAAS));
        List<String> overrides = List.of("catalog.password=catalog-pw-3", "spark.shufflePartitions=2");
        LakeshiftConfig config = ConfigLoader.load(userConfig, dir.resolve("data"), overrides);
        PipelineConfig pipeline = config.pipelines().get(0);
        Recording launcher = new Recording();

        new LauncherStreamingJobs(config, userConfig, overrides, launcher).runContinuous(pipeline, "retail.orders");

        JobSpec spec = launcher.started.get(0);
        assertThat(String.join(" ", spec.args())).doesNotContain("catalog-pw-3", "db-pw-2", "jaas-pw-1", "--set");
        assertThat(spec.environment().get(JobArguments.INHERITED_OVERRIDES))
                .isEqualTo("catalog.password=catalog-pw-3\nspark.shufflePartitions=2");
        Path jobConfig = Path.of(spec.args().get(spec.args().indexOf("--config") + 1));
        String written = Files.readString(jobConfig);
        assertThat(written).doesNotContain("db-pw-2", "jaas-pw-1").contains("env:HOME", "file:");

        LakeshiftConfig reloaded = ConfigLoader.load(jobConfig, null, List.of());
        assertThat(reloaded.sources().get(0).password().reveal()).as("the reference resolves").isEqualTo("db-pw-2");
        assertThat(reloaded.kafka().client()).containsEntry("sasl.jaas.config", JAAS);
        assertThat(reloaded.pipelines()).extracting(PipelineConfig::name).containsExactly(pipeline.name());

        Path data = config.dataDir();
        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(permissions(data.resolve("migrations"))).isEqualTo("rwx------");
        assertThat(permissions(jobConfig)).isEqualTo("rw-------");
        try (Stream<Path> files = Files.walk(data.resolve("migrations"))) {
            for (Path file : files.toList()) {
                assertThat(permissions(file)).as(file.toString()).isIn("rwx------", "rw-------");
            }
        }
    }

    @Test
    void theIngestionServiceGetsOverridesInTheEnvironment() {
        List<String> overrides = List.of("sources[0].password=db-pw-4");
        LakeshiftConfig config = ConfigLoader.load(null, dir.resolve("data"), List.of("kafka.bootstrapServers=kafka.internal:9092",
                "sources[0].host=db.internal", "sources[0].password=db-pw-4"));
        Recording launcher = new Recording();

        try {
            new LauncherIngestion(config, null, overrides, launcher).ensureCapturing(config.sources().get(0));
        } catch (IllegalStateException expected) {
            // the recording launcher runs nothing: the service never reports capturing
        }

        JobSpec spec = launcher.started.get(0);
        assertThat(spec.args()).containsSequence("ingest", "--source", "retail").doesNotContain("--set", "sources[0].password=db-pw-4");
        assertThat(spec.environment()).containsEntry(JobArguments.INHERITED_OVERRIDES, "sources[0].password=db-pw-4");
    }

    @Test
    void aChildJobReadsTheOverridesFromItsEnvironment() throws Exception {
        JobLauncher launcher = io.lakeshift.orchestration.launcher.JobLaunchers.local(dir.resolve("jobs"));
        JobSpec spec = ChildJvm.spec("env-check", IncrementalRunner.class.getName(),
                List.of("--data-dir", dir.resolve("data").toString(), "--source", "retail"), List.of("spark.shufflePartitions=0"));

        JobStatus started = launcher.start(spec);
        ProcessHandle.of(started.pid().getAsLong()).ifPresent(p -> p.onExit().orTimeout(120, java.util.concurrent.TimeUnit.SECONDS)
                .join());

        assertThat(spec.args()).doesNotContain("--set", "spark.shufflePartitions=0");
        assertThat(Files.readString(started.logFile())).as("the child applied the override it got in its environment")
                .contains("spark.shufflePartitions: must be positive");
        assertThat(permissions(started.logFile())).isEqualTo("rw-------");
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** Records what would be started; starts nothing, and what it started has stopped at once. */
    private static final class Recording implements JobLauncher {
        final List<JobSpec> started = new ArrayList<>();

        @Override
        public JobStatus start(JobSpec spec) {
            started.add(spec);
            return status(spec.jobId());
        }

        @Override
        public JobStatus stop(String jobId) {
            return status(jobId);
        }

        @Override
        public JobStatus status(String jobId) {
            return new JobStatus(jobId, JobState.STOPPED, OptionalLong.empty(), null, null);
        }
    }
}
