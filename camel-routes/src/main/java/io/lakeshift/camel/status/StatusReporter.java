package io.lakeshift.camel.status;

import io.lakeshift.core.status.StatusFiles;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each running source's {@link SourceMonitor} as a status file under
 * {@code <dataDir>/status/sources/}, where {@code lakeshift sources list} reads it.
 */
public final class StatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final StatusFiles files;
    private final List<SourceMonitor> monitors;

    public StatusReporter(Path dataDir, List<SourceMonitor> monitors) {
        this.files = new StatusFiles(dataDir, "sources");
        this.monitors = List.copyOf(monitors);
    }

    /** Writes every source's current status; a failure to write is logged, not thrown. */
    public void writeAll() {
        for (SourceMonitor m : monitors) {
            try {
                files.write(m.snapshot());
            } catch (UncheckedIOException e) {
                LOG.warn("Cannot write the status of source '{}'", m.name(), e);
            }
        }
    }
}
