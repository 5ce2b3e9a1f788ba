package io.lakeshift.runtime.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaAddressTest {

    @TempDir
    Path dataDir;

    @Test
    void anEmbeddedBrokerThatDoesNotRunIsAClearError() {
        LakeshiftConfig config = ConfigLoader.load(null, dataDir, List.of());
        assertThatThrownBy(() -> EmbeddedKafkaAddress.resolve(config, "pipelines run"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no embedded broker runs on " + dataDir)
                .hasMessageContaining("lakeshift up")
                .hasMessageContaining("'pipelines run'");
    }

    @Test
    void aStaleAddressFileIsNotARunningBroker() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Files.createDirectories(EmbeddedKafkaAddress.brokerDir(dataDir));
        EmbeddedKafkaAddress.publish(EmbeddedKafkaAddress.brokerDir(dataDir), "127.0.0.1:" + port);
        assertThat(EmbeddedKafkaAddress.running(dataDir)).as("nothing listens on the recorded port").isEmpty();
    }

    @Test
    void aListeningAddressIsUsedAndAConfiguredClusterIsLeftAlone() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Files.createDirectories(EmbeddedKafkaAddress.brokerDir(dataDir));
            EmbeddedKafkaAddress.publish(EmbeddedKafkaAddress.brokerDir(dataDir), "127.0.0.1:" + s.getLocalPort());
            LakeshiftConfig config = ConfigLoader.load(null, dataDir, List.of());
            assertThat(EmbeddedKafkaAddress.resolve(config, "x").kafka().bootstrapServers())
                    .isEqualTo("127.0.0.1:" + s.getLocalPort());
        }
        LakeshiftConfig cluster = ConfigLoader.load(null, dataDir, List.of("kafka.bootstrapServers=k1:9092"));
        assertThat(EmbeddedKafkaAddress.resolve(cluster, "x").kafka().bootstrapServers()).isEqualTo("k1:9092");
    }

    @Test
    void aSupervisedPartWaitsForTheBrokerToComeBackInsteadOfStartingItsOwn() throws Exception {
        LakeshiftConfig config = ConfigLoader.load(null, dataDir, List.of());
        try (ServerSocket broker = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<LakeshiftConfig> resolved = CompletableFuture.supplyAsync(() -> {
                try {
                    return EmbeddedKafkaAddress.awaitSupervised(config, "ingest", Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500); // the broker part is still starting again after a crash
            assertThat(resolved).as("waits while no broker answers").isNotDone();
            Files.createDirectories(EmbeddedKafkaAddress.brokerDir(dataDir));
            EmbeddedKafkaAddress.publish(EmbeddedKafkaAddress.brokerDir(dataDir), "127.0.0.1:" + broker.getLocalPort());

            assertThat(resolved.get().kafka().bootstrapServers()).isEqualTo("127.0.0.1:" + broker.getLocalPort());
        }
        assertThat(EmbeddedKafkaAddress.brokerDir(dataDir).resolve("logs")).as("no broker of its own").doesNotExist();
    }

    @Test
    void aSupervisedPartWithoutBrokerGivesUpWithAClearError() {
        LakeshiftConfig config = ConfigLoader.load(null, dataDir, List.of());
        assertThatThrownBy(() -> EmbeddedKafkaAddress.awaitSupervised(config, "routes run", Duration.ofMillis(300)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the broker of " + dataDir + " did not answer within 0 s")
                .hasMessageContaining("'routes run' runs under 'lakeshift up'");
    }
}
