package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.camel.testing.TestSftpServer;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV files uploaded to an SFTP server reaching the lake through {@code lakeshift up}: the same drop as
 * {@link UpFileDropIT}, read from a real (in-process) SFTP server that checks a password Lakeshift takes
 * from an {@code env:} reference, with the server's host key pinned. Files move to {@code done/} on the
 * server, and the password appears in no log.
 */
class UpSftpDropIT {

    private static final String USER = "partner";
    private static final String PASSWORD_VARIABLE = "PARTNER_SFTP_PASSWORD";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path work;

    static TestSftpServer server;
    static LakeshiftCommand up;
    static LakeCheck lake;

    @Test
    void filesUploadedToTheSftpServerBecomeLakeRowsAndDeadLetters() throws Exception {
        String password = "sftp-" + UUID.randomUUID();
        server = new TestSftpServer(work, USER, password);
        Path drops = Files.createDirectories(server.root().resolve("drops"));
        Path dataDir = work.resolve("lakeshift-data");
        Path config = work.resolve("sftp.yaml");
        Files.writeString(config, OrdersDrop.config("partner",
                List.of("username: " + USER, "password: env:" + PASSWORD_VARIABLE),
                List.of("directory: sftp://localhost:" + server.port() + "/drops",
                        "hostKey: \"" + server.hostKey() + "\"",
                        "stableForMs: 500",
                        "pollIntervalMs: 500")), StandardCharsets.UTF_8);

        up = LakeshiftCommand.start(work.resolve("up.out"), Map.of(PASSWORD_VARIABLE, password), "up", "--config", config.toString(),
                "--data-dir", dataDir.toString());
        up.awaitOutput("created lake table partner.orders", Duration.ofMinutes(3));
        up.awaitOutput("pipeline partner.orders is running", Duration.ofMinutes(3));
        upload(password, OrdersDrop.FILES);

        LakeshiftConfig loaded = ConfigLoader.load(config, dataDir, List.of("sources[0].password=" + password));
        lake = new LakeCheck(loaded);
        OrdersDrop orders = new OrdersDrop("partner", lake);
        orders.awaitNewestLinePerKey(up);
        orders.assertEveryRecordAccountedFor(loaded, dataDir);
        assertThat(drops.resolve("done")).as("read files move to done/ on the server")
                .isDirectoryContaining("glob:**/day1.csv").isDirectoryContaining("glob:**/day2.csv");
        assertThat(up.stop(Duration.ofMinutes(2))).isZero();

        assertThat(up.output()).doesNotContain(password);
        List<Path> logs;
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            logs = files.filter(Files::isRegularFile).toList();
        }
        assertThat(logs).as("the parts' logs").isNotEmpty();
        for (Path log : logs) {
            assertThat(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1)).as("%s", log).doesNotContain(password);
        }
    }

    /** Uploads each file as a careful producer does: under a .tmp name, renamed when complete. */
    private static void upload(String password, Map<String, String> files) throws Exception {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            // the test's own client, talking to the server this test started
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (ClientSession session = client.connect(USER, "127.0.0.1", server.port()).verify(WAIT).getSession()) {
                session.addPasswordIdentity(password);
                session.auth().verify(WAIT);
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                    for (Map.Entry<String, String> file : files.entrySet()) {
                        String path = "drops/" + file.getKey();
                        try (OutputStream out = sftp.write(path + ".tmp")) {
                            out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                        }
                        sftp.rename(path + ".tmp", path);
                    }
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (up != null && up.alive()) {
            up.stop(Duration.ofMinutes(2));
        }
        if (lake != null) {
            lake.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
