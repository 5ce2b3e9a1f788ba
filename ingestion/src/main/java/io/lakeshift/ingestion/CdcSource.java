package io.lakeshift.ingestion;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.SourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source database (PostgreSQL through pgoutput, MySQL or MariaDB through the binlog) captured
 * by an embedded Debezium engine into Kafka: an initial snapshot, then streaming, with no gap and
 * no duplicate at the handoff (Debezium reads the snapshot at the position streaming starts from).
 *
 * <p>Each batch Debezium hands over is written to Kafka and acknowledged by the brokers before its
 * offsets are marked processed, so a crash (even kill -9) replays rather than loses
 * (at-least-once); the sink drops replays by {@code source.seq}. Offsets live in a file under the
 * state folder, flushed every second and on close. A record Debezium produced but Lakeshift cannot
 * convert goes to the table's {@code .dlq} topic with the reason, and capture goes on.
 *
 * <p>Watermarks: {@link #watermark} marks the source's log (a transactional logical-decoding
 * message in PostgreSQL, the binlog's current end in MySQL) and waits until capture has passed
 * the mark; by then every change committed before the call is in Kafka.
 */
public final class CdcSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcSource.class);
    private static final String HEARTBEAT_TOPIC = "__debezium-heartbeat";
    private static final int MAX_NOTICES = 20;

    private final SourceConfig config;
    private final SourceDialect dialect;
    private final Path offsetFile;
    private final KafkaEventPublisher publisher;
    private final EnvelopeConverter converter;
    private final SchemaTracker schemas = new SchemaTracker();
    /** Column lists already given to the tracker: one per table version, compared by identity. */
    private final Map<List<io.lakeshift.core.envelope.Column>, Boolean> seenColumns = new java.util.IdentityHashMap<>();
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final ExecutorService executor;
    private final List<PendingWatermark> watermarks = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> taskStarted = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong snapshotRows = new AtomicLong();
    private final Deque<String> notices = new ArrayDeque<>();
    private volatile SourceState state = SourceState.STARTING;
    private volatile String lastPosition;
    private volatile long lastSourceTsMs;
    private volatile long behindMs = -1;
    private volatile Map<String, ?> lastOffset;
    private volatile SourceDialect.Lag lag;
    private volatile String error;
    private Connection lagConnection;

    /**
     * @param config the source
     * @param kafka where events go
     * @param stateDir folder for this source's offsets (and a binlog source's schema history)
     * @param configuredKeys key columns by {@code schema.table}, for tables without a primary key
     */
    public CdcSource(SourceConfig config, KafkaConfig kafka, Path stateDir, Map<String, List<String>> configuredKeys) {
        this.config = config;
        this.dialect = SourceDialect.of(config);
        this.converter = new EnvelopeConverter(config.name(), dialect, configuredKeys);
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create offset folder " + stateDir, e);
        }
        this.offsetFile = ConnectorProperties.offsetFile(stateDir, config);
        this.publisher = new KafkaEventPublisher(kafka, "lakeshift-cdc-" + config.name());
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(ConnectorProperties.of(config, kafka, stateDir, dialect))
                .using(this::completed)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        // The replication slot (or binlog reader) exists from here on: later commits will be captured.
                        taskStarted.complete(null);
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

    /**
     * The Debezium engine settings a source's engine runs with: Lakeshift's defaults, the kind's
     * settings, then the source's {@code properties}. Holds the password: never log it. For tools
     * that run a bare engine on the same settings (the CDC benchmark).
     */
    public static Properties debeziumProperties(SourceConfig source, KafkaConfig kafka, Path stateDir) {
        return ConnectorProperties.of(source, kafka, stateDir, SourceDialect.of(source));
    }

    /** Checks the source, then starts capture in the background; {@link #status()} tells how it goes. */
    public void start() {
        LOG.info("Starting CDC for source '{}' ({} at {}:{}, database {}, tables {}); {}", config.name(), config.kind(),
                config.host(), config.port(), config.database(), config.tables(), Files.exists(offsetFile)
                        ? "resuming from the offsets stored in " + offsetFile
                        : "no stored offsets: snapshot.mode " + config.snapshotMode() + ", offsets go to " + offsetFile);
        executor.execute(() -> {
            try (Connection c = connect()) {
                dialect.prepare(c, config).forEach(this::notice);
            } catch (SQLException | RuntimeException e) {
                fail("cannot prepare capture: " + describe(e), e);
                return;
            }
            engine.run();
        });
    }

    public String name() {
        return config.name();
    }

    public SourceStatus status() {
        SourceDialect.Lag l = lag;
        List<String> copy;
        synchronized (notices) {
            copy = List.copyOf(notices);
        }
        return new SourceStatus(config.name(), config.kind(), state, events.get(), deadLetters.get(), snapshotRows.get(),
                lastPosition, lastSourceTsMs, behindMs, l == null ? -1 : l.bytes(), l == null ? null : l.detail(), copy, error);
    }

    /** Completes when capture has ended, normally or not. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /**
     * Measures replication lag on the source (PostgreSQL: WAL retained by the slot; MySQL: binlog
     * bytes not yet read); the result shows in {@link #status()}. Keeps one connection open
     * between calls. Failures are reported in the status, not thrown.
     */
    public synchronized void probeLag() {
        try {
            if (lagConnection == null || !lagConnection.isValid(5)) {
                closeLagConnection();
                lagConnection = connect();
            }
            lag = dialect.lag(lagConnection, config, lastOffset);
        } catch (SQLException | RuntimeException e) {
            lag = new SourceDialect.Lag(-1, "cannot measure: " + describe(e));
            closeLagConnection();
        }
    }

    /**
     * Marks the source's log and waits until capture has passed the mark: from then on, every change
     * committed in the source before this call is in Kafka, acknowledged.
     *
     * @return the watermark id
     * @throws TimeoutException when capture did not start or reach the watermark within {@code timeout}
     */
    public String watermark(Duration timeout) throws TimeoutException, InterruptedException, SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            CompletableFuture.anyOf(taskStarted, ended).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // reported below
        }
        if (!taskStarted.isDone()) {
            throw new TimeoutException("CDC for source '" + config.name() + "' did not start"
                    + (ended.isDone() ? "" : " within " + timeout) + " (state " + state + (error == null ? "" : ", error: " + error) + ")");
        }
        PendingWatermark pending;
        try (Connection connection = connect()) {
            pending = new PendingWatermark(dialect.emitWatermark(connection));
        }
        watermarks.add(pending);
        if (ended.isDone()) {
            pending.reached.completeExceptionally(new IllegalStateException("CDC for source '" + config.name() + "' has ended"));
        }
        try {
            pending.reached.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("source '" + config.name() + "' failed before watermark " + pending.mark.id(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("watermark " + pending.mark.id() + " of source '" + config.name()
                    + "' not captured within " + timeout + " (state " + state + (error == null ? "" : ", error: " + error) + ")");
        } finally {
            watermarks.remove(pending);
        }
        return pending.mark.id();
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        BatchAcks acks = new BatchAcks();
        List<PendingWatermark> reached = null;
        SourcePosition newest = null;
        long changes = 0;
        long snapshotReads = 0;
        boolean sawStreaming = false;
        for (RecordChangeEvent<SourceRecord> change : records) {
            SourceRecord record = change.record();
            if (!watermarks.isEmpty()) {
                reached = checkWatermarks(record, reached);
            }
            if (!(record.value() instanceof Struct value)) {
                continue;
            }
            if (value.schema().field("op") == null || value.schema().field("message") != null) {
                // heartbeats, logical-decoding messages (watermarks, heartbeats): capture is streaming
                sawStreaming |= record.topic().startsWith(HEARTBEAT_TOPIC) || value.schema().field("message") != null;
                continue;
            }
            try {
                EncodedChange encoded = converter.convert(record);
                publisher.send(encoded, acks);
                newest = encoded.position();
                changes++;
                if (newest.snapshot()) {
                    snapshotReads++;
                } else {
                    sawStreaming = true;
                }
                if (seenColumns.put(encoded.columns(), Boolean.TRUE) == null) {
                    schemas.observe(newest.qualifiedTable(), encoded.columns()).ifPresent(this::schemaChanged);
                }
            } catch (RuntimeException e) {
                String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warn("Source '{}': cannot convert a change on {} ({}); sent to {}.dlq", config.name(), record.topic(),
                        reason, record.topic());
                publisher.sendDeadLetter(record.topic(), String.valueOf(value), reason,
                        config.name() + " " + record.sourceOffset(), acks);
                deadLetters.incrementAndGet();
            }
        }
        publisher.flush();
        Exception failure = acks.await();
        if (failure != null) {
            // Offsets of this batch stay uncommitted: the engine stops and a restart replays it.
            throw new KafkaWriteException("source '" + config.name() + "': Kafka did not acknowledge a change: "
                    + failure.getMessage(), failure);
        }
        for (RecordChangeEvent<SourceRecord> change : records) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
        // A watermark is only ever reached past the snapshot: capture is streaming by then.
        afterBatch(records, newest, changes, snapshotReads, sawStreaming || (reached != null && !reached.isEmpty()));
        if (reached != null) {
            reached.forEach(w -> w.reached.complete(null));
        }
    }

    private void afterBatch(List<RecordChangeEvent<SourceRecord>> records, SourcePosition newest, long changes,
            long snapshotReads, boolean sawStreaming) {
        if (!records.isEmpty()) {
            lastOffset = records.get(records.size() - 1).record().sourceOffset();
        }
        events.addAndGet(changes);
        snapshotRows.addAndGet(snapshotReads);
        if (newest != null) {
            lastPosition = newest.position();
            lastSourceTsMs = newest.tsMs();
            if (!newest.snapshot() && newest.tsMs() > 0) {
                behindMs = Math.max(0, System.currentTimeMillis() - newest.tsMs());
            }
        } else if (sawStreaming) {
            behindMs = 0; // only heartbeats and marks: capture has read the log up to moments ago
        }
        if (sawStreaming && state != SourceState.STREAMING) {
            if (state == SourceState.SNAPSHOTTING) {
                LOG.info("Source '{}': initial snapshot done ({} rows); streaming", config.name(), snapshotRows.get());
            } else {
                LOG.info("Source '{}': streaming", config.name());
            }
            state = SourceState.STREAMING;
        } else if (snapshotReads > 0 && state == SourceState.STARTING) {
            state = SourceState.SNAPSHOTTING;
            LOG.info("Source '{}': initial snapshot started", config.name());
        }
    }

    private List<PendingWatermark> checkWatermarks(SourceRecord record, List<PendingWatermark> reached) {
        for (PendingWatermark w : watermarks) {
            if (!w.reached.isDone() && (reached == null || !reached.contains(w)) && w.mark.reachedBy(record)) {
                reached = reached == null ? new ArrayList<>() : reached;
                reached.add(w);
            }
        }
        return reached;
    }

    private void schemaChanged(String description) {
        if (SchemaTracker.lostColumns(description)) {
            LOG.warn("Source '{}': {}", config.name(), description);
        } else {
            LOG.info("Source '{}': {}", config.name(), description);
        }
        notice(description);
    }

    private void notice(String text) {
        synchronized (notices) {
            notices.addLast(text);
            while (notices.size() > MAX_NOTICES) {
                notices.removeFirst();
            }
        }
    }

    private void completed(boolean success, String message, Throwable failure) {
        if (success) {
            state = SourceState.STOPPED;
            LOG.info("CDC for source '{}' stopped: {}", config.name(), message);
            end(new IllegalStateException("CDC for source '" + config.name() + "' stopped"));
        } else {
            fail(failure != null ? describe(failure) : message, failure);
        }
    }

    private void fail(String reason, Throwable failure) {
        LOG.error("CDC for source '{}' failed: {}", config.name(), reason, failure);
        error = reason;
        state = SourceState.FAILED;
        end(new IllegalStateException("CDC for source '" + config.name() + "' failed: " + reason, failure));
    }

    private void end(RuntimeException cause) {
        watermarks.forEach(w -> w.reached.completeExceptionally(cause));
        ended.complete(null);
    }

    /** The root cause's message, which names the problem (bad password, unknown host) without secrets. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String bottom = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e || top.contains(bottom) ? top : top + ": " + bottom;
    }

    private Connection connect() throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", config.username());
        credentials.setProperty("password", config.password().reveal());
        try {
            return DriverManager.getConnection(dialect.jdbcUrl(config), credentials);
        } catch (SQLException e) {
            throw new SQLException("cannot connect to " + config.kind() + " at " + config.host() + ":" + config.port()
                    + " (database " + config.database() + ") as " + config.username() + ": " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }

    private void closeLagConnection() {
        if (lagConnection != null) {
            try {
                lagConnection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the lag connection of source '{}' failed", config.name(), e);
            }
            lagConnection = null;
        }
    }

    /** Stops capture: the batch in flight is acknowledged by Kafka, offsets are committed, the engine closes. */
    @Override
    public void close() {
        try {
            engine.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Closing the Debezium engine of source '{}' failed: {}", config.name(), e.getMessage());
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("CDC thread of source '{}' did not stop within 60 s", config.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (state != SourceState.FAILED) {
            state = SourceState.STOPPED;
        }
        synchronized (this) {
            if (state != SourceState.FAILED && taskStarted.isDone()) {
                probeLag(); // the slot as the engine left it, for the final status
            }
            closeLagConnection();
        }
        publisher.close();
        ended.complete(null);
    }

    private static final class PendingWatermark {
        final SourceDialect.Watermark mark;
        final CompletableFuture<Void> reached = new CompletableFuture<>();

        PendingWatermark(SourceDialect.Watermark mark) {
            this.mark = mark;
        }
    }
}
