package io.lakeshift.orchestration.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.core.config.SparkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSubmitJobLauncherTest {

    private static final SparkConfig SPARK = new SparkConfig("spark://spark-master:7077", 8, "/lake/checkpoints", 1000, 200_000,
            Map.of("spark.executor.memory", "2g", "spark.sql.shuffle.partitions", "12"));
    private static final JobSpec STREAM = JobSpec.of("stream-retail.orders", "io.lakeshift.streaming.StreamingMain",
                    List.of("/opt/lakeshift/lakeshift-streaming.jar", "/opt/lakeshift/lib/a.jar", "/opt/lakeshift/lib/b.jar"))
            .withArgs(List.of("stream", "retail.orders"))
            .withJvmOptions(List.of("-Xmx1g", "--add-opens=java.base/java.nio=ALL-UNNAMED"))
            .withSparkConf(Map.of("spark.sql.shuffle.partitions", "16"));
    private static final List<String> EXPECTED_ARGS = List.of(
            "--master", "spark://spark-master:7077",
            "--deploy-mode", "client",
            "--name", "stream-retail.orders",
            "--class", "io.lakeshift.streaming.StreamingMain",
            "--conf", "spark.executor.memory=2g",
            "--conf", "spark.sql.shuffle.partitions=16",
            "--driver-java-options", "-Xmx1g --add-opens=java.base/java.nio=ALL-UNNAMED",
            "--jars", "/opt/lakeshift/lib/a.jar,/opt/lakeshift/lib/b.jar",
            "/opt/lakeshift/lakeshift-streaming.jar",
            "stream", "retail.orders");

    @TempDir
    Path dir;

    private JobLauncher launcher;

    @AfterEach
    void stopLeftovers() {
        if (launcher != null) {
            launcher.stop(STREAM.jobId());
        }
    }

    @Test
    void buildsTheSparkSubmitCommandLine() {
        List<String> command = new SparkSubmitCommand("/opt/spark/bin/spark-submit", SPARK, "client").apply(STREAM);

        assertThat(command.get(0)).isEqualTo("/opt/spark/bin/spark-submit");
        assertThat(command.subList(1, command.size())).containsExactlyElementsOf(EXPECTED_ARGS);
    }

    @Test
    void keepsSecretSettingsOffTheCommandLine() {
        SparkConfig withSecrets = new SparkConfig("yarn", 8, "/lake/checkpoints", 1000, 200_000, Map.of(
                "spark.executor.memory", "2g", "spark.hadoop.fs.s3a.secret.key", "s3-secret", "spark.sql.catalog.lake.token", "t0k"));

        List<String> command = new SparkSubmitCommand("spark-submit", withSecrets, "client").apply(STREAM);

        assertThat(String.join(" ", command)).doesNotContain("s3-secret", "t0k", "secret.key").contains("spark.executor.memory=2g");
        JobSpec leaky = STREAM.withSparkConf(Map.of("spark.sql.catalog.lake.credential", "id:secret"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SparkSubmitCommand("spark-submit", SPARK, "client").apply(leaky))
                .isInstanceOf(JobLaunchException.class)
                .hasMessageContaining("spark.sql.catalog.lake.credential")
                .hasMessageNotContaining("id:secret");
    }

    @Test
    void leavesOutWhatTheJobDoesNotNeed() {
        JobSpec bare = JobSpec.of("batch-once", "io.lakeshift.batch.BatchMain", List.of("lakeshift.jar"));

        List<String> command = new SparkSubmitCommand("spark-submit", new SparkConfig("yarn", 4, "/c", 1000, 1, Map.of()),
                "cluster").apply(bare);

        assertThat(command).containsExactly("spark-submit", "--master", "yarn", "--deploy-mode", "cluster", "--name",
                "batch-once", "--class", "io.lakeshift.batch.BatchMain", "--conf", "spark.sql.shuffle.partitions=4",
                "lakeshift.jar");
    }

    @Test
    void runsSparkSubmitAsADetachedJob() throws Exception {
        Path argsFile = dir.resolve("args.txt");
        Path sparkSubmit = script("""
                #!/bin/sh
                # a stand-in spark-submit: records its arguments, then runs like a driver until stopped
                printf '%s\\n' "$@" > "$ARGS_FILE.tmp" && mv "$ARGS_FILE.tmp" "$ARGS_FILE"
                echo "fake spark-submit for $FAKE_APP"
                exec sleep 60
                """);
        launcher = JobLaunchers.sparkSubmit(SPARK, dir.resolve("state"), sparkSubmit.toString(), "client", Duration.ofSeconds(5));

        JobStatus started = launcher.start(STREAM.withEnvironment(Map.of("ARGS_FILE", argsFile.toString(), "FAKE_APP", "orders")));

        assertThat(started.running()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(argsFile));
        assertThat(Files.readAllLines(argsFile, StandardCharsets.UTF_8)).containsExactlyElementsOf(EXPECTED_ARGS);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Files.readString(started.logFile())).contains("fake spark-submit for orders"));
        assertThat(launcher.status(STREAM.jobId()).state()).isEqualTo(JobState.RUNNING);

        assertThat(launcher.stop(STREAM.jobId()).state()).isEqualTo(JobState.STOPPED);
        assertThat(ProcessHandle.of(started.pid().getAsLong()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aFailedSubmissionEndsStoppedWithItsOutputInTheLog() throws Exception {
        Path sparkSubmit = script("""
                #!/bin/sh
                echo "Error: Master must either be yarn or start with spark, k8s, or local" >&2
                exit 1
                """);
        launcher = JobLaunchers.sparkSubmit(SPARK, dir.resolve("state"), sparkSubmit.toString(), "client", Duration.ofSeconds(5));

        JobStatus started = launcher.start(STREAM);

        await().atMost(Duration.ofSeconds(20)).until(() -> launcher.status(STREAM.jobId()).state() == JobState.STOPPED);
        assertThat(Files.readString(started.logFile())).contains("Master must either be yarn");
    }

    private Path script(String text) throws Exception {
        Path file = dir.resolve("spark-submit-" + System.nanoTime());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
