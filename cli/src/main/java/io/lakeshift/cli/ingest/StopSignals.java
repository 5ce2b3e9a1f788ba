package io.lakeshift.cli.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into a callback, so a long-running command stops on its main thread and
 * returns its own exit code (a plain shutdown hook would leave the JVM's 143 or 130).
 */
public final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    @SuppressWarnings("removal")
    public static void onTermOrInt(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.info("Received SIG{}: stopping", name);
                    stop.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not available on this JVM or platform: the shutdown hook still stops gracefully.
                LOG.debug("Cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
