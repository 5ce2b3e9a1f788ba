package io.lakeshift.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised part of the runtime (the broker, the ingestion service, the routes, a source's apply
 * job): a child process that is started again with exponential backoff whenever it exits while the
 * runtime is up. A part that ran for {@link #STABLE} counts as recovered and its backoff starts over.
 */
public final class Part {

    static final Duration STABLE = Duration.ofSeconds(60);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(Part.class);

    private final String name;
    private final String heap;
    private final List<String> command;
    private final boolean essential;
    private Process process;
    private long startedAt;
    private long restartAt;
    private long failingSince;
    private int restarts;
    private Duration backoff = FIRST_BACKOFF;
    private Integer lastExit;

    public Part(String name, String heap, List<String> command) {
        this(name, heap, command, true);
    }

    /**
     * @param essential whether {@code up} gives up when this part keeps failing; a part people
     *     look at (the console) is restarted forever instead, since the data flows without it
     */
    public Part(String name, String heap, List<String> command, boolean essential) {
        this.name = name;
        this.heap = heap;
        this.command = List.copyOf(command);
        this.essential = essential;
    }

    boolean essential() {
        return essential;
    }

    public String name() {
        return name;
    }

    public void start(PartLauncher launcher) throws IOException {
        process = launcher.start(name, heap, command);
        startedAt = System.currentTimeMillis();
        LOG.info("Started part {} (pid {}): lakeshift {}", name, process.pid(), String.join(" ", command));
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Called on every supervision round: notices an exit and schedules the restart, or restarts when
     * the backoff is over.
     *
     * @return a line for the operator when something happened, else null
     */
    String supervise(PartLauncher launcher, long now) throws IOException {
        if (process != null && !process.isAlive()) {
            lastExit = process.exitValue();
            boolean wasStable = now - startedAt >= STABLE.toMillis();
            if (wasStable) {
                backoff = FIRST_BACKOFF;
                failingSince = 0;
            }
            if (failingSince == 0) {
                failingSince = now;
            }
            long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, backoff.toMillis() / 5));
            restartAt = now + backoff.toMillis() + jitter;
            String line = String.format("%s exited with code %d; restarting in %.1f s (see logs/%s.log)", name, lastExit,
                    (restartAt - now) / 1000.0, name);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            process = null;
            return line;
        }
        if (process == null && restartAt > 0 && now >= restartAt) {
            restarts++;
            start(launcher);
            return name + " restarted (restart " + restarts + ")";
        }
        return null;
    }

    /** How long this part has kept failing without a stable run, or 0 when it is fine. */
    long failingForMs(long now) {
        return failingSince == 0 ? 0 : now - failingSince;
    }

    Integer lastExit() {
        return lastExit;
    }

    int restarts() {
        return restarts;
    }

    /**
     * Kills the part at once (SIGKILL), as a crash or an operator's {@code kill -9} would, and waits
     * until it is gone; it is not started again until {@link #start} is called.
     */
    public void kill() throws InterruptedException {
        Process p = process;
        process = null;
        restartAt = 0;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** Asks the part to stop (SIGTERM), waits up to {@code grace}, then kills it. */
    public void stop(Duration grace) {
        Process p = process;
        process = null;
        restartAt = 0;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Part {} (pid {}) did not stop within {} s: killing it", name, p.pid(), grace.toSeconds());
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.info("Part {} stopped", name);
    }
}
