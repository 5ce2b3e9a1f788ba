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
     * The address of the broker running on {@code dataDir}, waiting up to {@code timeout} for it to
     * come up (a supervisor starting it again after a crash).
     *
     * @throws IllegalStateException when none runs by then
     */
    public static String await(Path dataDir, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> address = running(dataDir);
            if (address.isPresent()) {
                return address.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no embedded Kafka broker runs on " + dataDir + " after waiting " + timeout.toSeconds()
                        + " s; see " + dataDir.resolve("logs/broker.log"));
            }
            Thread.sleep(200);
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
