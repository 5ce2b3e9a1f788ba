package io.lakeshift.orchestration.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalJobLauncherTest {

    @TempDir
    Path state;

    private JobLauncher launcher;

    @AfterEach
    void stopLeftovers() {
        if (launcher != null) {
            for (String job : List.of("sleeper", "detached")) {
                launcher.stop(job);
            }
        }
    }

    @Test
    void startsAJobSeesItRunningStopsItAndSeesItStopped() throws Exception {
        launcher = JobLaunchers.local(state, JavaCommand.currentJava(), Duration.ofSeconds(5));
        JobSpec spec = JobSpec.of("sleeper", Sleeper.class.getName(), List.of(testClasses()))
                .withArgs(List.of("60"))
                .withJvmOptions(List.of("-Xmx32m"))
                .withEnvironment(Map.of("LAKESHIFT_JOB", "sleeper"));

        JobStatus started = launcher.start(spec);

        assertThat(started.state()).isEqualTo(JobState.RUNNING);
        long pid = started.pid().getAsLong();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(state.resolve("sleeper.pid")).exists();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Files.readString(started.logFile(), StandardCharsets.UTF_8))
                        .contains("sleeper started, pid " + pid + ", job sleeper"));
        assertThat(launcher.status("sleeper").state()).isEqualTo(JobState.RUNNING);

        assertThatThrownBy(() -> launcher.start(spec)).isInstanceOf(JobLaunchException.class)
                .hasMessageContaining("running already");

        JobStatus stopped = launcher.stop("sleeper");

        assertThat(stopped.state()).isEqualTo(JobState.STOPPED);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(launcher.status("sleeper").state()).isEqualTo(JobState.STOPPED);
        assertThat(state.resolve("sleeper.pid")).doesNotExist();
    }

    @Test
    void aJobThatEndsByItselfIsStopped() throws Exception {
        launcher = JobLaunchers.local(state);
        launcher.start(JobSpec.of("sleeper", Sleeper.class.getName(), List.of(testClasses())).withArgs(List.of("0")));

        await().atMost(Duration.ofSeconds(20)).until(() -> launcher.status("sleeper").state() == JobState.STOPPED);
        assertThat(launcher.status("sleeper").pid()).isPresent();
    }

    @Test
    void anUnknownJobIsNotFound() {
        launcher = JobLaunchers.local(state);

        assertThat(launcher.status("never-started").state()).isEqualTo(JobState.NOT_FOUND);
        assertThat(launcher.stop("never-started").state()).isEqualTo(JobState.NOT_FOUND);
    }

    @Test
    void aJobOutlivesTheProcessThatStartedIt() throws Exception {
        launcher = JobLaunchers.local(state, JavaCommand.currentJava(), Duration.ofSeconds(5));
        Process starter = new ProcessBuilder(JavaCommand.currentJava().toString(), "-cp", System.getProperty("java.class.path"),
                Starter.class.getName(), state.toString(), "detached", testClasses())
                .redirectErrorStream(true)
                .start();
        String output = new String(starter.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(starter.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(starter.exitValue()).as(output).isZero();

        JobStatus status = launcher.status("detached");

        assertThat(status.state()).as("after the starter exited: %s", output).isEqualTo(JobState.RUNNING);
        assertThat(output).contains("started " + status.pid().getAsLong());
        assertThat(launcher.stop("detached").state()).isEqualTo(JobState.STOPPED);
    }

    @Test
    void refusesAJobIdThatIsNoFileName() {
        assertThatThrownBy(() -> JobSpec.of("../escape", "x.Main", List.of("a.jar")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../escape");
    }

    private static String testClasses() throws URISyntaxException {
        return Path.of(Sleeper.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
