package io.lakeshift.ingestion;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.nio.file.Path;
import java.util.List;

/** The ingestion service alone in a JVM, from a config file, until it is killed: the process CrashRecoveryIT kills with -9. */
public final class IngestionChild {

    private IngestionChild() {
    }

    public static void main(String[] args) throws Exception {
        LakeshiftConfig config = ConfigLoader.load(Path.of(args[0]), null, List.of());
        IngestionService service = new IngestionService(config);
        service.start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
