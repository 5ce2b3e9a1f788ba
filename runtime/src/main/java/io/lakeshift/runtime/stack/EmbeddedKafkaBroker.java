package io.lakeshift.runtime.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, combined broker and controller) run from Kafka's own server classes,
 * its data kept under a folder of the Lakeshift data folder, so that topics and offsets survive a
 * restart. It listens on loopback; its ports are chosen once and kept in {@code <dir>/ports}, so
 * clients that knew its address find it again after a restart. While it runs, its address is in
 * {@code <dir>/bootstrap.servers} ({@link EmbeddedKafkaAddress}), where other lakeshift processes on
 * the same data folder, and outside Kafka clients, look it up.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final Path dir;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dir, String bootstrapServers) {
        this.server = server;
        this.dir = dir;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts the broker on {@code dir}: formats it the first time, reuses its data and ports after. */
    public static EmbeddedKafkaBroker start(Path dir) throws Exception {
        Path home = dir.toAbsolutePath().normalize();
        Files.createDirectories(home);
        int[] ports = ports(home.resolve("ports"));
        Path logs = home.resolve("logs");
        KafkaConfig config = new KafkaConfig(properties(logs, ports[0], ports[1]), false);
        if (!Files.exists(logs.resolve("meta.properties"))) {
            format(logs);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw new IllegalStateException("the embedded Kafka broker in " + home + " did not start: " + e.getMessage(), e);
        }
        String address = HOST + ":" + ports[0];
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, home, address);
        EmbeddedKafkaAddress.await(address);
        EmbeddedKafkaAddress.publish(home, address);
        LOG.info("Embedded Kafka broker (KRaft) ready at {}, data in {}", address, logs);
        return broker;
    }

    private static Map<String, Object> properties(Path logs, int port, int controllerPort) {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logs.toString());
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Change topics are the lake's replay log: Lakeshift sets their retention per topic.
        p.put("log.retention.hours", "-1");
        // One node on a developer's machine: a smaller cleaner buffer than a production broker's 128 MiB.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        return p;
    }

    private static void format(Path logs) throws Exception {
        Files.createDirectories(logs);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        new Formatter()
                .setPrintStream(quiet)
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(Set.of(logs.toString()))
                .setMetadataLogDirectory(logs.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    /** The broker's and the controller's port: remembered, or two free ones the first time. */
    private static int[] ports(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
            if (parts.length == 2) {
                int[] remembered = {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
                if (isFree(remembered[0]) && isFree(remembered[1])) {
                    return remembered;
                }
                LOG.warn("Ports {} and {} of the embedded Kafka broker are taken; choosing others"
                        + " (outside clients need the new address in {})", remembered[0], remembered[1],
                        file.resolveSibling(EmbeddedKafkaAddress.FILE));
            }
        }
        int[] chosen;
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            chosen = new int[] {a.getLocalPort(), b.getLocalPort()};
        }
        Files.writeString(file, chosen[0] + " " + chosen[1] + "\n", StandardCharsets.UTF_8);
        return chosen;
    }

    private static boolean isFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker; its data stays for the next start. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        EmbeddedKafkaAddress.withdraw(dir);
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Embedded Kafka broker at {} stopped", bootstrapServers);
    }
}
