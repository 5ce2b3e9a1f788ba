package io.lakeshift.tests.up;

import io.lakeshift.core.testing.TestCertificates;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka, built like the runtime's embedded broker (Kafka's Formatter and
 * KafkaRaftServer), whose only client listener is SASL_SSL with SCRAM-SHA-512: a certificate from
 * {@link TestCertificates}, and SCRAM users created when the storage is formatted (the broker's own
 * for inter-broker traffic, and one for Lakeshift). The controller listener is loopback plaintext,
 * as inside a cluster's private network.
 */
final class SaslSslKafkaBroker implements AutoCloseable {

    static final String MECHANISM = "SCRAM-SHA-512";
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private SaslSslKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats {@code dir}, creates the SCRAM user {@code user}, and starts the broker.
     *
     * @param password the user's password (letters and digits)
     */
    static SaslSslKafkaBroker start(Path dir, TestCertificates certs, String user, String password) throws Exception {
        String brokerPassword = "broker" + Long.toHexString(System.nanoTime());
        int port = freePort();
        int controllerPort = freePort();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "SASL_SSL://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "SASL_SSL://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas("broker", brokerPassword));
        p.put("ssl.keystore.location", certs.keyStore().toString());
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.password", certs.password());
        p.put("ssl.key.password", certs.password());
        p.put("ssl.truststore.location", certs.trustStore().toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", certs.password());
        p.put("log.dirs", logs.toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(Set.of(logs.toString()))
                .setMetadataLogDirectory(logs.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .setScramArguments(List.of(
                        MECHANISM + "=[name=broker,password=" + brokerPassword + "]",
                        MECHANISM + "=[name=" + user + ",password=" + password + "]"))
                .run();
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        SaslSslKafkaBroker broker = new SaslSslKafkaBroker(server, HOST + ":" + port);
        try (Admin admin = Admin.create(broker.clientProperties(certs, jaas(user, password)))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The JAAS line of a SCRAM client (or of the broker's listener). */
    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** What a Kafka client needs to reach this broker. */
    Map<String, Object> clientProperties(TestCertificates certs, String jaasConfig) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", MECHANISM);
        props.put("sasl.jaas.config", jaasConfig);
        props.put("ssl.truststore.location", certs.trustStore().toString());
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.password", certs.password());
        return props;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
