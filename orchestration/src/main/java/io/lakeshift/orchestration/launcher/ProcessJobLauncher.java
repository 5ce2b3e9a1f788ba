package io.lakeshift.orchestration.launcher;

import io.lakeshift.core.io.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each job as a detached operating-system process: output appended to
 * {@code <stateDir>/<jobId>.log}, pid in {@code <stateDir>/<jobId>.pid}. On Linux the process gets a
 * session of its own ({@code setsid}), so a Ctrl-C or a closed terminal that ends the starting
 * command does not end the job.
 */
final class ProcessJobLauncher implements JobLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessJobLauncher.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path stateDir;
    private final Function<JobSpec, List<String>> commandLine;
    private final Duration stopGrace;
    private final String kind;

    ProcessJobLauncher(String kind, Path stateDir, Function<JobSpec, List<String>> commandLine, Duration stopGrace) {
        this.kind = kind;
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.commandLine = commandLine;
        this.stopGrace = stopGrace;
    }

    @Override
    public synchronized JobStatus start(JobSpec spec) {
        JobStatus current = status(spec.jobId());
        if (current.running()) {
            throw new JobLaunchException("job '" + spec.jobId() + "' is running already (pid " + current.pid().getAsLong()
                    + "); stop it first");
        }
        Path log = logFile(spec.jobId());
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(commandLine.apply(spec));
        try {
            OwnerOnly.createDirectories(stateDir);
            if (!Files.exists(log)) {
                Files.createFile(log, OwnerOnly.fileAttributes(log)); // a job's output may name hosts and users
            }
            Files.writeString(log, "--- lakeshift: " + kind + " job " + spec.jobId() + " starting at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(spec.environment());
            Process process = builder.start();
            // the job reads nothing: an early EOF beats a job blocked on a pipe nobody writes
            process.getOutputStream().close();
            Instant started = process.info().startInstant().orElse(null);
            new PidFile(process.pid(), started).write(pidFile(spec.jobId()));
            LOG.info("{} job '{}' started: pid {}, log {}", kind, spec.jobId(), process.pid(), log);
            return new JobStatus(spec.jobId(), JobState.RUNNING, OptionalLong.of(process.pid()), started, log);
        } catch (IOException e) {
            throw new JobLaunchException("cannot start " + kind + " job '" + spec.jobId() + "' (" + command.get(0) + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized JobStatus stop(String jobId) {
        Optional<PidFile> recorded = PidFile.read(pidFile(jobId));
        Optional<ProcessHandle> process = recorded.flatMap(PidFile::process);
        if (process.isPresent()) {
            ProcessHandle handle = process.get();
            LOG.info("stopping {} job '{}' (pid {})", kind, jobId, handle.pid());
            // children first: spark-submit's driver or a shell's java must not be orphaned
            handle.descendants().forEach(ProcessHandle::destroy);
            handle.destroy();
            if (!awaitExit(handle, stopGrace)) {
                LOG.warn("{} job '{}' (pid {}) did not stop within {} s: killing it", kind, jobId, handle.pid(),
                        stopGrace.toSeconds());
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                handle.destroyForcibly();
                if (!awaitExit(handle, Duration.ofSeconds(10))) {
                    throw new JobLaunchException("job '" + jobId + "' (pid " + handle.pid() + ") survived a kill signal");
                }
            }
        }
        JobStatus status = status(jobId);
        try {
            Files.deleteIfExists(pidFile(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the pid file of job '" + jobId + "'", e);
        }
        return status;
    }

    @Override
    public JobStatus status(String jobId) {
        Path log = logFile(jobId);
        Optional<PidFile> recorded = PidFile.read(pidFile(jobId));
        if (recorded.isEmpty()) {
            JobState state = Files.exists(log) ? JobState.STOPPED : JobState.NOT_FOUND;
            return new JobStatus(jobId, state, OptionalLong.empty(), null, log);
        }
        PidFile pid = recorded.get();
        JobState state = pid.process().isPresent() ? JobState.RUNNING : JobState.STOPPED;
        return new JobStatus(jobId, state, OptionalLong.of(pid.pid()), pid.processStart(), log);
    }

    Path logFile(String jobId) {
        return stateDir.resolve(jobId + ".log");
    }

    Path pidFile(String jobId) {
        return stateDir.resolve(jobId + ".pid");
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }
}
