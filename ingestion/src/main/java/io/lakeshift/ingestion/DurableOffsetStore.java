package io.lakeshift.ingestion;

import io.lakeshift.core.io.AtomicFiles;
import io.lakeshift.core.io.OwnerOnly;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offset store of Lakeshift's CDC sources, named in Debezium's {@code offset.storage}: one file
 * per source (Debezium's {@code offset.storage.file.filename}), in the format of Kafka Connect's
 * {@code FileOffsetBackingStore} (a serialized {@code HashMap<byte[], byte[]>}), so files written by
 * that store are read as they are, and the other way round.
 *
 * <p>Unlike that store, which rewrites the file in place and reads a truncated file as "no
 * offsets", every write goes through {@link AtomicFiles} (temporary file, fsync, atomic rename,
 * fsync of the folder): after a crash or a full disk the file holds the previous offsets or the
 * new ones. A file that exists but cannot be read (empty, truncated, corrupt) stops the source
 * with an {@link UnreadableOffsetsException} naming the file, instead of starting over.
 *
 * <p>Debezium creates it by reflection (public no-argument constructor), then calls
 * {@link #configure} with the engine's settings and {@link #start}.
 */
public final class DurableOffsetStore implements OffsetBackingStore {

    /** The engine setting that names the file. */
    static final String FILE_SETTING = "offset.storage.file.filename";

    private static final Logger LOG = LoggerFactory.getLogger(DurableOffsetStore.class);
    /** Offsets are a map of byte arrays: nothing else may be deserialized from the file. */
    private static final ObjectInputFilter ONLY_BYTE_MAPS =
            ObjectInputFilter.Config.createFilter("maxdepth=3;java.util.HashMap;java.util.Map$Entry;!*");

    private Path file;
    private volatile Map<ByteBuffer, ByteBuffer> data = Map.of();
    private ExecutorService executor;

    public DurableOffsetStore() {
        // created by Debezium by reflection
    }

    @Override
    public void configure(WorkerConfig config) {
        String name = config.originalsStrings().get(FILE_SETTING);
        if (name == null || name.isBlank()) {
            throw new ConnectException(FILE_SETTING + " is required by " + DurableOffsetStore.class.getName());
        }
        file = Path.of(name);
    }

    @Override
    public synchronized void start() {
        try {
            // a folder named only in the engine's settings (a tool running a bare engine) exists before the first flush
            OwnerOnly.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new ConnectException("cannot create the folder of " + file + ": " + e.getMessage(), e);
        }
        data = read(file);
        if (data.isEmpty()) {
            LOG.info("No offsets stored in {} yet: a new capture", file);
        } else {
            LOG.info("Read {} stored offset(s) from {}", data.size(), file);
        }
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lakeshift-offsets-" + file.getFileName());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Writing offsets to {} did not finish within 30 s of the stop", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
        return executor.submit(() -> {
            Map<ByteBuffer, ByteBuffer> current = data;
            Map<ByteBuffer, ByteBuffer> result = new HashMap<>();
            for (ByteBuffer key : keys) {
                result.put(key, current.get(key));
            }
            return result;
        });
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        return executor.submit(() -> {
            Map<ByteBuffer, ByteBuffer> next = new HashMap<>(data);
            values.forEach((k, v) -> {
                if (v == null) {
                    next.remove(k);
                } else {
                    next.put(k, v);
                }
            });
            try {
                AtomicFiles.write(file, serialize(next));
            } catch (IOException e) {
                // The file keeps the previous offsets: a crash now replays, it does not skip or snapshot.
                ConnectException failure = new ConnectException("cannot write offsets to " + file + ": " + e.getMessage(), e);
                LOG.error("Storing offsets in {} failed; the previous offsets stay in place and the next flush tries again",
                        file, e);
                if (callback != null) {
                    callback.onCompletion(failure, null);
                }
                throw failure;
            }
            data = next;
            if (callback != null) {
                callback.onCompletion(null, null);
            }
            return null;
        });
    }

    /** The source partitions a connector stored offsets for; keys are {@code ["<engine name>", {partition}]} in JSON. */
    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "false"), true);
        Set<Map<String, Object>> partitions = new HashSet<>();
        for (ByteBuffer key : data.keySet()) {
            if (key == null) {
                continue;
            }
            SchemaAndValue parsed = keys.toConnectData("", bytes(key));
            if (parsed.value() instanceof List<?> parts && parts.size() == 2 && connectorName.equals(parts.get(0))
                    && parts.get(1) instanceof Map<?, ?> partition) {
                Map<String, Object> copy = new HashMap<>();
                partition.forEach((k, v) -> copy.put(String.valueOf(k), v));
                partitions.add(copy);
            }
        }
        return partitions;
    }

    /**
     * The offsets stored in {@code file}: none when it does not exist (a new capture).
     *
     * @throws UnreadableOffsetsException when it exists but is empty, truncated or corrupt
     */
    static Map<ByteBuffer, ByteBuffer> read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new UnreadableOffsetsException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
        if (content.length == 0) {
            throw new UnreadableOffsetsException(file, "is empty (0 bytes; an interrupted write of an older Lakeshift,"
                    + " or a full disk)", null);
        }
        Object stored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(content))) {
            in.setObjectInputFilter(ONLY_BYTE_MAPS);
            stored = in.readObject();
        } catch (InvalidClassException | ClassNotFoundException e) {
            throw new UnreadableOffsetsException(file, "holds something other than offsets (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableOffsetsException(file, "is truncated or corrupt (" + content.length + " bytes, "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        if (!(stored instanceof HashMap<?, ?> raw)) {
            throw new UnreadableOffsetsException(file, "holds a " + (stored == null ? "null" : stored.getClass().getName())
                    + " instead of offsets", null);
        }
        Map<ByteBuffer, ByteBuffer> offsets = new HashMap<>();
        raw.forEach((k, v) -> offsets.put(k == null ? null : ByteBuffer.wrap((byte[]) k), v == null ? null : ByteBuffer.wrap((byte[]) v)));
        return offsets;
    }

    /** The file's content for {@code offsets}: what Kafka Connect's FileOffsetBackingStore writes. */
    static byte[] serialize(Map<ByteBuffer, ByteBuffer> offsets) throws IOException {
        HashMap<byte[], byte[]> raw = new HashMap<>();
        offsets.forEach((k, v) -> raw.put(k == null ? null : bytes(k), v == null ? null : bytes(v)));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
            out.writeObject(raw);
        }
        return buffer.toByteArray();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        b.rewind();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
