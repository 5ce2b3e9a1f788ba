package io.lakeshift.runtime.stack;

import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the embedded Kafka broker of a data folder listens, while it runs: the file
 * {@code <dataDir>/kafka/bootstrap.servers}. A command configured with
 * {@code kafka.bootstrapServers: embedded} uses that broker when it is up ({@code lakeshift up} or
 * {@code lakeshift broker} runs it), so every command on a data folder shares one broker.
 */
public final class EmbeddedKafkaAddress {

    /** The file, in the broker's folder, that holds its address while it runs. */
    public static final String FILE = "bootstrap.servers";
    /** The broker's folder under the data folder. */
    public static final String DIR = "kafka";

    /** How long a supervised part waits for the broker {@code up} starts again before it exits. */
    static final Duration SUPERVISED_WAIT = Duration.ofSeconds(60);

    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private EmbeddedKafkaAddress() {
    }

    /** The broker folder of a data folder. */
    public static Path brokerDir(Path dataDir) {
        return dataDir.resolve(DIR);
    }

    /** The address of the broker running on {@code dataDir}, if one runs and accepts connections. */
    public static Optional<String> running(Path dataDir) {
        Path file = brokerDir(dataDir).resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String address = Files.readString(file, StandardCharsets.UTF_8).trim();
            return reachable(address) ? Optional.of(address) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The configuration with {@code kafka.bootstrapServers} pointing at a real broker: as configured,
     * or, for {@code embedded}, the broker running on the data folder.
     *
     * @throws IllegalStateException when the embedded broker is asked for and none runs
     */
    public static LakeshiftConfig resolve(LakeshiftConfig config, String command) {
        if (!config.kafka().embedded()) {
            return config;
        }
        String address = running(config.dataDir()).orElseThrow(() -> new IllegalStateException(
                "kafka.bootstrapServers is 'embedded' and no embedded broker runs on " + config.dataDir()
                        + "; start 'lakeshift up' (or 'lakeshift broker') on this data folder first, or set"
                        + " kafka.bootstrapServers to your Kafka cluster, before '" + command + "'"));
        return config.withKafka(config.kafka().withBootstrapServers(address));
    }

    /**
     * The configuration with the data folder's broker, for a part that {@code lakeshift up} supervises
     * ({@link ParentWatch#supervised()}): waits for the broker, which may be starting again after a crash.
     * Such a part never starts a broker of its own as a standalone {@code ingest} or {@code routes run}
     * does: {@code up} starts the broker again as its own part, and two brokers on one folder write the
     * same KRaft and topic logs.
     *
     * @throws IllegalStateException when no broker answers on the folder within a minute (the part exits
     *     and {@code up} starts it again)
     */
    public static LakeshiftConfig awaitSupervised(LakeshiftConfig config, String command) throws InterruptedException {
        return awaitSupervised(config, command, SUPERVISED_WAIT);
    }

    static LakeshiftConfig awaitSupervised(LakeshiftConfig config, String command, Duration timeout) throws InterruptedException {
        if (!config.kafka().embedded()) {
            return config;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> address = running(config.dataDir());
        while (address.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            address = running(config.dataDir());
        }
        String found = address.orElseThrow(() -> new IllegalStateException("kafka.bootstrapServers is 'embedded' and the broker of "
                + config.dataDir() + " did not answer within " + timeout.toSeconds() + " s; '" + command + "' runs under"
                + " 'lakeshift up', which starts the broker, and exits to be started again"));
        return config.withKafka(config.kafka().withBootstrapServers(found));
    }

    static void publish(Path brokerDir, String address) {
        Path file = brokerDir.resolve(FILE);
        try {
            AtomicFiles.write(file, (address + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the embedded broker's address in " + file, e);
        }
    }

    static void withdraw(Path brokerDir) {
        try {
            Files.deleteIfExists(brokerDir.resolve(FILE));
        } catch (IOException e) {
            // a stale file is harmless: readers check that the address answers
        }
    }

    /** Waits until {@code address} accepts connections, at most 30 s. */
    static void await(String address) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!reachable(address)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the embedded Kafka broker does not answer at " + address);
            }
            Thread.sleep(100);
        }
    }

    static boolean reachable(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                    CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
