package io.lakeshift.runtime.stack;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a part that {@code lakeshift up} started when {@code up} itself is gone (killed with -9, say),
 * so that no orphaned broker, ingestion service or apply job keeps running unsupervised. The exit
 * runs the part's shutdown hooks, which stop it as SIGTERM would.
 */
public final class ParentWatch {

    /** Set by {@code up} in each part's environment: the supervisor's process id. */
    public static final String PARENT_PID = "LAKESHIFT_PARENT_PID";

    private static final Logger LOG = LoggerFactory.getLogger(ParentWatch.class);
    private static final long POLL_MS = 1_000;

    private ParentWatch() {
    }

    /** Whether this process is a part that {@code up} (or a benchmark running parts as up does) started. */
    public static boolean supervised() {
        String pid = System.getenv(PARENT_PID);
        return pid != null && !pid.isBlank();
    }

    /** Starts watching when this process was started by {@code up}; does nothing otherwise. */
    public static void startIfSupervised() {
        String pid = System.getenv(PARENT_PID);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent;
        try {
            parent = ProcessHandle.of(Long.parseLong(pid.trim()));
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring {}={}: not a process id", PARENT_PID, pid);
            return;
        }
        Thread watch = new Thread(() -> {
            while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            LOG.warn("The supervising 'lakeshift up' (pid {}) is gone: stopping", pid);
            System.exit(143);
        }, "lakeshift-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
