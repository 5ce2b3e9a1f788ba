package io.lakeshift.ingestion;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.SourceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL source captured by an embedded Debezium engine into Kafka.
 *
 * <p>Each batch Debezium hands over is written to Kafka and acknowledged by the brokers before its
 * offsets are marked processed, so a crash replays rather than loses (at-least-once); the sink
 * drops replays by {@code source.seq}. A record Debezium produced but Lakeshift cannot convert goes
 * to the table's {@code .dlq} topic with the reason, and capture goes on.
 *
 * <p>Watermarks: {@link #watermark} writes a transactional logical-decoding message into the source
 * and waits until capture has seen it; by then every change committed before it is in Kafka.
 */
public final class CdcSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcSource.class);

    private final SourceConfig config;
    private final KafkaEventPublisher publisher;
    private final EnvelopeConverter converter;
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final ExecutorService executor;
    private final Map<String, CompletableFuture<Void>> watermarks = new ConcurrentHashMap<>();
    private final CountDownLatch taskStarted = new CountDownLatch(1);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private volatile SourceState state = SourceState.STARTING;
    private volatile String lastPosition;
    private volatile long lastSourceTsMs;
    private volatile String error;

    /**
     * @param config the source
     * @param kafka where events go
     * @param stateDir folder for this source's offsets
     * @param configuredKeys key columns by {@code schema.table}, for tables without a primary key
     */
    public CdcSource(SourceConfig config, KafkaConfig kafka, Path stateDir, Map<String, List<String>> configuredKeys) {
        this.config = config;
        this.converter = new EnvelopeConverter(config.name(), configuredKeys);
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create offset folder " + stateDir, e);
        }
        Path offsets = stateDir.resolve(config.name() + ".offsets");
        this.publisher = new KafkaEventPublisher(kafka, "lakeshift-cdc-" + config.name());
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(PostgresConnectorProperties.of(config, kafka, offsets))
                .using(this::completed)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        // The replication slot exists from here on: later commits will be captured.
                        taskStarted.countDown();
                    }
                })
                .notifying(this::handleBatch)
                .build();
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lakeshift-cdc-" + config.name());
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        LOG.info("Starting CDC for source '{}' ({}:{} database {}, tables {}), slot and publication '{}'",
                config.name(), config.host(), config.port(), config.database(), config.tables(), config.slotName());
        executor.execute(engine);
    }

    public String name() {
        return config.name();
    }

    public SourceStatus status() {
        return new SourceStatus(config.name(), state, events.get(), deadLetters.get(), lastPosition, lastSourceTsMs, error);
    }

    /**
     * Writes a watermark into the source and waits until capture has seen it: from then on, every
     * change committed in the source before this call is in Kafka, acknowledged.
     *
     * @return the watermark id
     * @throws TimeoutException when capture did not start or reach the watermark within {@code timeout}
     */
    public String watermark(Duration timeout) throws TimeoutException, InterruptedException, SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!taskStarted.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("CDC for source '" + config.name() + "' did not start within " + timeout
                    + " (state " + state + (error == null ? "" : ", error: " + error) + ")");
        }
        Properties credentials = new Properties();
        credentials.setProperty("user", config.username());
        credentials.setProperty("password", config.password().reveal());
        String id;
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl(), credentials)) {
            id = PostgresWatermarks.emit(connection);
        }
        CompletableFuture<Void> reached = watermarks.computeIfAbsent(id, k -> new CompletableFuture<>());
        try {
            reached.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("source '" + config.name() + "' failed before watermark " + id, e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("watermark " + id + " of source '" + config.name() + "' not captured within "
                    + timeout + " (state " + state + (error == null ? "" : ", error: " + error) + ")");
        }
        return id;
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        List<String> reachedWatermarks = new ArrayList<>();
        String batchPosition = null;
        long batchTs = 0;
        boolean sawSnapshot = false;
        boolean sawStreaming = false;
        for (RecordChangeEvent<SourceRecord> change : records) {
            SourceRecord record = change.record();
            if (!(record.value() instanceof Struct value)) {
                continue;
            }
            if (value.schema().field("op") == null) {
                sawStreaming |= record.topic().startsWith("__debezium-heartbeat");
                continue;
            }
            if (value.schema().field("message") != null) {
                watermarkId(value).ifPresent(reachedWatermarks::add);
                sawStreaming = true;
                continue;
            }
            try {
                io.lakeshift.core.envelope.ChangeEvent event = converter.convert(record);
                sends.add(publisher.send(record.topic(), event));
                batchPosition = event.source().position();
                batchTs = event.source().tsMs();
                sawSnapshot |= event.source().snapshot();
                sawStreaming |= !event.source().snapshot();
            } catch (RuntimeException e) {
                String origin = record.topic() + " " + record.sourceOffset();
                LOG.warn("Source '{}': cannot convert a change on {} ({}); sent to {}.dlq", config.name(),
                        record.topic(), e.getMessage(), record.topic());
                sends.add(publisher.sendDeadLetter(record.topic(), String.valueOf(value), e.toString(), origin));
                deadLetters.incrementAndGet();
            }
        }
        awaitAcknowledged(sends);
        for (RecordChangeEvent<SourceRecord> change : records) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
        events.addAndGet(sends.size());
        if (batchPosition != null) {
            lastPosition = batchPosition;
            lastSourceTsMs = batchTs;
        }
        if (sawStreaming) {
            state = SourceState.STREAMING;
        } else if (sawSnapshot && state == SourceState.STARTING) {
            state = SourceState.SNAPSHOTTING;
            LOG.info("Source '{}': initial snapshot started", config.name());
        }
        for (String id : reachedWatermarks) {
            watermarks.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(null);
        }
    }

    private void awaitAcknowledged(List<Future<RecordMetadata>> sends) throws InterruptedException {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                // Offsets of this batch stay uncommitted: the engine stops and a restart replays it.
                throw new KafkaWriteException("source '" + config.name() + "': Kafka did not acknowledge a change: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static java.util.Optional<String> watermarkId(Struct value) {
        Struct message = value.getStruct("message");
        if (message == null || !PostgresWatermarks.PREFIX.equals(message.getString("prefix"))) {
            return java.util.Optional.empty();
        }
        Object content = message.get("content");
        byte[] bytes = content instanceof java.nio.ByteBuffer b ? toArray(b) : (byte[]) content;
        return java.util.Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    private static byte[] toArray(java.nio.ByteBuffer buffer) {
        java.nio.ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private void completed(boolean success, String message, Throwable failure) {
        if (success) {
            state = SourceState.STOPPED;
            LOG.info("CDC for source '{}' stopped: {}", config.name(), message);
        } else {
            state = SourceState.FAILED;
            error = failure != null && failure.getMessage() != null ? failure.getMessage() : message;
            LOG.error("CDC for source '{}' failed: {}", config.name(), error, failure);
        }
        RuntimeException cause = new IllegalStateException("CDC for source '" + config.name() + "' ended: " + message);
        watermarks.values().forEach(w -> w.completeExceptionally(cause));
    }

    @Override
    public void close() {
        try {
            engine.close();
        } catch (IOException e) {
            LOG.warn("Closing the Debezium engine of source '{}' failed", config.name(), e);
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("CDC thread of source '{}' did not stop within 30 s", config.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }
}
