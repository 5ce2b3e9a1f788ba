package io.lakeshift.camel.file;

import io.lakeshift.camel.status.SourceMonitor;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed scan of a drop folder (an SFTP server unreachable, a host key that does not match, a
 * folder gone) shows in the source's status and log; the next poll tries again.
 */
final class DropPollStrategy implements PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(DropPollStrategy.class);

    private final String source;
    private final String folder;
    private final SourceMonitor monitor;
    private volatile boolean failing;

    DropPollStrategy(String source, String folder, SourceMonitor monitor) {
        this.source = source;
        this.folder = folder;
        this.monitor = monitor;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (failing) {
            failing = false;
            LOG.info("Source '{}': {} can be scanned again", source, folder);
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String reason = describe(cause);
        monitor.detail("lastError", "cannot scan " + folder + ": " + reason);
        if (!failing) {
            failing = true;
            LOG.warn("Source '{}': cannot scan {} ({}); trying again at every poll", source, folder, reason, cause);
        }
        return false;
    }

    /** The exception's message and its causes', which name the real problem (a changed host key, say). */
    private static String describe(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = cause; t != null && sb.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                sb.append(sb.isEmpty() ? "" : ": ").append(t.getMessage());
            }
        }
        return sb.isEmpty() ? cause.getClass().getSimpleName() : sb.toString();
    }
}
