package io.lakeshift.cli.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakeshift ingest} with an embedded Kafka broker and a source database that never answers. */
class IngestCommandIT {

    @TempDir
    Path dir;

    @Test
    void exitsNonZeroWhenASourceIsGivenUp() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(new String[] {"ingest", "--data-dir", dir.toString(), "--set", "sources[0].host=127.0.0.1",
                "--set", "sources[0].port=" + closedPort, "--set", "ingestion.retryMaxBackoffMs=500",
                "--set", "ingestion.giveUpAfterMs=4000"});
        } finally {
            System.setOut(stdout);
        }

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isEqualTo(1);
        assertThat(printed).contains("source 'retail' is retrying: cannot prepare capture")
                .contains("gave up on source(s) [retail]")
                .contains("source 'retail' failed, 0 events, 0 dead letters: gave up after");
    }
}
