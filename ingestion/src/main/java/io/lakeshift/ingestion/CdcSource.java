package io.lakeshift.ingestion;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.lakeshift.core.config.IngestionConfig;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.jdbc.SourceConnections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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
 * state folder ({@link DurableOffsetStore}), flushed every second and on close; a file that exists
 * but cannot be read stops the source rather than start over. A record Debezium produced but
 * Lakeshift cannot convert, or a change too large for Kafka, goes to the table's {@code .dlq} topic
 * with the reason, and capture goes on.
 *
 * <p>Failures: created with an {@link IngestionConfig}, a source whose engine fails (Kafka
 * unreachable past the producer's delivery timeout, the database restarting) is started again from
 * its stored offsets after a backoff ({@link Restarts}), RETRYING meanwhile, and FAILED for good
 * when it has not recovered within {@link IngestionConfig#giveUpAfterMs()}. Without one, or when the
 * offsets file is unreadable, the first failure is final.
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
    private final KafkaConfig kafka;
    private final SourceDialect dialect;
    private final Path offsetFile;
    private final Properties engineProperties;
    private final Restarts restarts;
    private final EnvelopeConverter converter;
    private final SchemaTracker schemas = new SchemaTracker();
    /** Column lists already given to the tracker: one per table version, compared by identity. */
    private final Map<List<io.lakeshift.core.envelope.Column>, Boolean> seenColumns = new java.util.IdentityHashMap<>();
    private final Object lifecycle = new Object();
    private final CountDownLatch closing = new CountDownLatch(1);
    private Attempt current;
    private boolean started;
    private final ExecutorService executor;
    private final List<PendingWatermark> watermarks = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> taskStarted = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong snapshotRows = new AtomicLong();
    /** The source's estimate of the rows the snapshot reads, taken once it runs; -1 until then. */
    private volatile long snapshotExpected = -1;
    private final Deque<String> notices = new ArrayDeque<>();
    private volatile SourceState state = SourceState.STARTING;
    private volatile String lastPosition;
    private volatile long lastSourceTsMs;
    private volatile long behindMs = -1;
    private volatile Map<String, ?> lastOffset;
    private volatile SourceDialect.Lag lag;
    private volatile String error;
    private Connection lagConnection;
    /** Tables whose existing rows are in Kafka; the others get a snapshot of their own once capture streams. */
    private final CapturedTables captured;
    private final boolean resuming;
    /** Added tables being snapshotted (Debezium's blocking snapshot), until their last row is acknowledged. */
    private final Set<String> backfilling = ConcurrentHashMap.newKeySet();
    private volatile boolean backfillChecked;

    /**
     * A source whose first failure is final (tools and tests that watch one capture).
     *
     * @param config the source
     * @param kafka where events go
     * @param stateDir folder for this source's offsets (and a binlog source's schema history)
     * @param configuredKeys key columns by {@code schema.table}, for tables without a primary key
     */
    public CdcSource(SourceConfig config, KafkaConfig kafka, Path stateDir, Map<String, List<String>> configuredKeys) {
        this(config, kafka, stateDir, configuredKeys, null);
    }

    /**
     * A source restarted after failures as {@code ingestion} says, or whose first failure is final
     * when it is null.
     */
    public CdcSource(SourceConfig config, KafkaConfig kafka, Path stateDir, Map<String, List<String>> configuredKeys,
            IngestionConfig ingestion) {
        this.config = config;
        this.kafka = kafka;
        this.dialect = SourceDialect.of(config);
        this.converter = new EnvelopeConverter(config.name(), dialect, configuredKeys);
        this.restarts = ingestion == null ? null : new Restarts(ingestion);
        try {
            io.lakeshift.core.io.OwnerOnly.createDirectories(stateDir); // offsets: owner-only
        } catch (IOException e) {
            throw new IllegalStateException("cannot create offset folder " + stateDir, e);
        }
        this.offsetFile = ConnectorProperties.offsetFile(stateDir, config);
        this.resuming = Files.exists(offsetFile);
        this.captured = CapturedTables.load(stateDir, config.name(), resuming, config.tables());
        this.engineProperties = ConnectorProperties.of(config, kafka, stateDir, dialect);
        // The first engine is built here, so that settings Debezium rejects fail the caller at once.
        this.current = new Attempt();
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
        synchronized (lifecycle) {
            started = true;
        }
        executor.execute(this::capture);
    }

    /** Runs engines one after the other until one stops cleanly, the source is closed, or it fails for good. */
    private void capture() {
        Attempt attempt = current;
        Throwable startFailure = null;
        while (true) {
            synchronized (lifecycle) {
                if (closing.getCount() == 0) {
                    return;
                }
                current = attempt;
            }
            Throwable failure = attempt == null ? startFailure : attempt.run();
            if (attempt != null) {
                attempt.publisher.close(failure == null ? Duration.ofSeconds(30) : Duration.ofSeconds(5));
            }
            if (closing.getCount() == 0) {
                if (failure != null) {
                    LOG.info("CDC for source '{}' ended while stopping: {}", config.name(), describe(failure));
                }
                return;
            }
            if (failure == null) {
                state = SourceState.STOPPED; // Debezium ended capture by itself (snapshot.mode initial_only, ...)
                end(new IllegalStateException("CDC for source '" + config.name() + "' stopped"));
                return;
            }
            long delay = restartDelay(failure);
            if (delay < 0) {
                return;
            }
            try {
                if (closing.await(delay, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                attempt = new Attempt();
                startFailure = null;
            } catch (RuntimeException e) {
                attempt = null; // the next round counts it as a failed start
                startFailure = e;
            }
        }
    }

    /**
     * After a failed attempt: how long to wait before the next, with the source RETRYING, or -1 when
     * it has failed for good (FAILED: unreadable offsets, no restarts configured, or given up).
     */
    private long restartDelay(Throwable failure) {
        UnreadableOffsetsException offsets = find(failure, UnreadableOffsetsException.class);
        if (offsets != null) {
            fail("offsets file " + offsets.file() + " " + offsets.problem() + ". Capture stops rather than start over"
                    + " without its offsets (a new snapshot, or with snapshot.mode no_data, lost changes). Restore the file"
                    + " from a backup, or run 'lakeshift sources drop " + config.name() + "' (removes the replication slot"
                    + " and this file) to capture the source again from a new snapshot", failure);
            return -1;
        }
        String reason = describe(failure);
        if (restarts == null) {
            fail(reason, failure);
            return -1;
        }
        long now = System.currentTimeMillis();
        long delay = restarts.onFailure(now);
        long since = restarts.failingSinceMs();
        if (delay < 0) {
            fail("gave up after " + Duration.ofMillis(now - since).toSeconds() + " s of failures (" + restarts.failures()
                    + " in a row; ingestion.giveUpAfterMs is " + restarts.giveUpAfterMs() + "): " + reason, failure);
            return -1;
        }
        error = reason + " (failing since " + Instant.ofEpochMilli(since) + "; restart " + restarts.failures() + " at "
                + Instant.ofEpochMilli(now + delay) + "; giving up at " + Instant.ofEpochMilli(since + restarts.giveUpAfterMs()) + ")";
        state = SourceState.RETRYING;
        if (restarts.failures() == 1) {
            LOG.warn("CDC for source '{}' failed: {}; restarting from the stored offsets in {} ms", config.name(), reason, delay,
                    failure);
        } else {
            // The stack trace was logged with the first failure of the run; Debezium logs its own each time.
            LOG.warn("CDC for source '{}' failed again: {}; restarting from the stored offsets in {} ms (failure {} in a row,"
                    + " giving up at {})", config.name(), reason, delay, restarts.failures(),
                    Instant.ofEpochMilli(since + restarts.giveUpAfterMs()));
        }
        return delay;
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
        return new SourceStatus(config.name(), config.kind(), state, events.get(), deadLetters.get(), snapshotRows.get(), snapshotExpected,
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
            estimateSnapshot(lagConnection);
        } catch (SQLException | RuntimeException e) {
            lag = new SourceDialect.Lag(-1, "cannot measure: " + describe(e));
            closeLagConnection();
        }
    }

    /**
     * Once a snapshot runs, asks the source how many rows its tables hold (an estimate from its
     * statistics, no count), so status and metrics can say how far the snapshot is. A snapshot of
     * added tables counts those tables alone.
     */
    private void estimateSnapshot(Connection connection) throws SQLException {
        List<String> reading = new ArrayList<>(backfilling);
        if (snapshotExpected >= 0 || (state != SourceState.SNAPSHOTTING && reading.isEmpty())) {
            return;
        }
        long rows = 0;
        for (String table : reading.isEmpty() ? config.tables() : reading) {
            rows += Math.max(0, dialect.estimatedRows(connection, table));
        }
        snapshotExpected = rows;
        LOG.info("Source '{}': the snapshot reads about {} rows (the source's estimate)", config.name(), rows);
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

    private void handleBatch(Attempt attempt, List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        KafkaEventPublisher publisher = attempt.publisher;
        BatchAcks acks = new BatchAcks();
        List<PendingWatermark> reached = null;
        SourcePosition newest = null;
        long changes = 0;
        long snapshotReads = 0;
        boolean sawStreaming = false;
        List<String> finishedTables = null;
        for (RecordChangeEvent<SourceRecord> change : records) {
            if (acks.failed()) {
                // Kafka is refusing or unreachable: the batch will be replayed; each further send would
                // only wait max.block.ms for metadata, keeping a restart (or giving up) waiting.
                break;
            }
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
                publisher.send(encoded, () -> origin(record), acks);
                newest = encoded.position();
                changes++;
                if (newest.snapshot()) {
                    snapshotReads++;
                    if (!backfilling.isEmpty() && lastReadOfTable(value)) {
                        finishedTables = finishedTables == null ? new ArrayList<>() : finishedTables;
                        finishedTables.add(newest.qualifiedTable());
                    }
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
                publisher.sendDeadLetter(record.topic(), String.valueOf(value), reason, origin(record), acks);
                deadLetters.incrementAndGet();
            }
        }
        publisher.flush();
        awaitAcks(acks);
        List<BatchAcks.TooLarge> tooLarge = acks.takeTooLarge();
        if (!tooLarge.isEmpty()) {
            for (BatchAcks.TooLarge refused : tooLarge) {
                LOG.warn("Source '{}': a change on {} is too large for Kafka ({} bytes: {}); sent to {}.dlq", config.name(),
                        refused.change().topic(), KafkaEventPublisher.size(refused.change()), refused.reason(), refused.change().topic());
                publisher.sendTooLarge(refused, acks);
            }
            publisher.flush();
            // The batch's offsets move past a refused change only once its dead letter is acknowledged.
            awaitAcks(acks);
            changes -= tooLarge.size();
            deadLetters.addAndGet(tooLarge.size());
        }
        for (RecordChangeEvent<SourceRecord> change : records) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
        if (restarts != null && restarts.onProgress(attempt.startedAtMs, acks.acknowledged() > 0, System.currentTimeMillis())) {
            LOG.info("Source '{}' has recovered", config.name());
        }
        if (finishedTables != null) {
            // Acknowledged by Kafka: these tables' existing rows are all there.
            captured.add(finishedTables);
            backfilling.removeAll(finishedTables);
            LOG.info("Source '{}': snapshot of added table(s) {} done; they stream with the others", config.name(), finishedTables);
        }
        // A watermark is only ever reached past the snapshot: capture is streaming by then.
        afterBatch(records, newest, changes, snapshotReads, sawStreaming || (reached != null && !reached.isEmpty()));
        if (state == SourceState.STREAMING && !backfillChecked) {
            backfillChecked = true;
            backfillAddedTables(attempt);
        }
        if (reached != null) {
            reached.forEach(w -> w.reached.complete(null));
        }
    }

    private void awaitAcks(BatchAcks acks) throws InterruptedException {
        Exception failure = acks.await();
        if (failure != null) {
            // Offsets of this batch stay uncommitted: the engine stops and a restart replays it.
            throw new KafkaWriteException("source '" + config.name() + "': Kafka did not acknowledge a change: "
                    + failure.getMessage(), failure);
        }
    }

    /** Where a record came from, for a dead letter's origin header. */
    private String origin(SourceRecord record) {
        return config.name() + " " + record.sourceOffset();
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
        if (restarts != null && restarts.failing()) {
            return; // RETRYING until the source has recovered (see Restarts), not at the first batch after a restart
        }
        if (sawStreaming && state != SourceState.STREAMING) {
            if (state == SourceState.SNAPSHOTTING) {
                LOG.info("Source '{}': initial snapshot done ({} rows); streaming", config.name(), snapshotRows.get());
            } else {
                LOG.info("Source '{}': streaming{}", config.name(), state == SourceState.RETRYING ? " again" : "");
            }
            state = SourceState.STREAMING;
            error = null;
        } else if (snapshotReads > 0 && (state == SourceState.STARTING || state == SourceState.RETRYING)) {
            state = SourceState.SNAPSHOTTING;
            error = null;
            LOG.info("Source '{}': initial snapshot started", config.name());
        }
    }

    /**
     * Once capture streams: a table added to the source's {@code tables} after capture began has its
     * changes streamed from the restart on, but its existing rows were never read. An empty one needs
     * nothing; the others are snapshotted alone by Debezium's blocking snapshot (streaming pauses,
     * the tables are read in one consistent snapshot, streaming resumes where it paused). A table
     * counts as captured once the last row of its snapshot is acknowledged by Kafka: a process that
     * stops before that snapshots it again at its next start.
     */
    private void backfillAddedTables(Attempt attempt) {
        if (!resuming) {
            captured.add(config.tables()); // capture began with these: the initial snapshot read them
            return;
        }
        List<String> added = captured.missing(config.tables());
        if (added.isEmpty()) {
            return;
        }
        List<String> toRead = new ArrayList<>();
        try (Connection c = connect()) {
            for (String table : added) {
                if (dialect.hasRows(c, table)) {
                    toRead.add(table);
                } else {
                    captured.add(List.of(table));
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Source '{}': cannot check the added table(s) {}: {}; snapshotting them all", config.name(), added, describe(e));
            toRead = added;
        }
        if (toRead.isEmpty()) {
            LOG.info("Source '{}': added table(s) {} held no rows; they stream from now on", config.name(), added);
            return;
        }
        backfilling.addAll(toRead);
        try {
            // Debezium reads data-collections as regular expressions, like the include list.
            String data = io.lakeshift.core.json.Json.mapper().writeValueAsString(Map.of(
                    "data-collections", toRead.stream().map(t -> t.replace(".", "\\.")).toList(), "type", "BLOCKING"));
            attempt.engine.getSignaler().signal(new DebeziumEngine.Signal("lakeshift-backfill-" + java.util.UUID.randomUUID(),
                    "execute-snapshot", data, null));
            LOG.info("Source '{}': table(s) {} were added after capture began: snapshotting their existing rows"
                    + " (streaming pauses meanwhile)", config.name(), toRead);
            notice("snapshotting added table(s) " + toRead);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            backfilling.removeAll(toRead);
            LOG.warn("Source '{}': cannot ask for a snapshot of the added table(s) {}: {}. Their changes stream; load their"
                    + " existing rows with 'lakeshift batch run full-reload' (signal.enabled.channels must include in-process)",
                    config.name(), toRead, describe(e));
        }
    }

    /** Whether a snapshot read is the last of its table (Debezium marks it in {@code source.snapshot}). */
    private static boolean lastReadOfTable(Struct value) {
        Struct source = value.getStruct("source");
        Object marker = source == null || source.schema().field("snapshot") == null ? null : source.get("snapshot");
        return "last".equals(marker) || "last_in_data_collection".equals(marker);
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
            if (notices.contains(text)) {
                return; // said again by a restart
            }
            notices.addLast(text);
            while (notices.size() > MAX_NOTICES) {
                notices.removeFirst();
            }
        }
    }

    private void fail(String reason, Throwable failure) {
        LOG.error("CDC for source '{}' failed for good: {}", config.name(), reason, failure);
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
        try {
            return SourceConnections.open(config, dialect.jdbcUrl(config));
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
        Attempt running;
        boolean wasStarted;
        synchronized (lifecycle) {
            closing.countDown();
            running = current;
            wasStarted = started;
        }
        if (running != null) {
            running.stop();
            if (!wasStarted) {
                running.publisher.close();
            }
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
            error = null;
        }
        synchronized (this) {
            if (state != SourceState.FAILED && taskStarted.isDone()) {
                probeLag(); // the slot as the engine left it, for the final status
            }
            closeLagConnection();
        }
        end(new IllegalStateException("CDC for source '" + config.name() + "' stopped"));
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** One run of a Debezium engine with its own Kafka producer; a restart is a new attempt. */
    private final class Attempt {
        final KafkaEventPublisher publisher;
        final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
        final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        volatile long startedAtMs;

        Attempt() {
            publisher = new KafkaEventPublisher(kafka, "lakeshift-cdc-" + config.name());
            try {
                engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                        .using(engineProperties)
                        .using(this::completed)
                        .using(new DebeziumEngine.ConnectorCallback() {
                            @Override
                            public void taskStarted() {
                                // The replication slot (or binlog reader) exists from here on: later commits will be captured.
                                CdcSource.this.taskStarted.complete(null);
                            }
                        })
                        .notifying((records, committer) -> handleBatch(this, records, committer))
                        .build();
            } catch (RuntimeException e) {
                publisher.close(Duration.ZERO);
                throw e;
            }
        }

        /** Prepares the source and runs the engine until it ends; returns why it failed, or null. */
        Throwable run() {
            startedAtMs = System.currentTimeMillis();
            try (Connection c = connect()) {
                dialect.prepare(c, config).forEach(CdcSource.this::notice);
            } catch (SQLException | RuntimeException e) {
                return new IllegalStateException("cannot prepare capture: " + describe(e), e);
            }
            if (closing.getCount() == 0) {
                return null;
            }
            engine.run();
            try {
                return outcome.get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            } catch (ExecutionException | TimeoutException e) {
                return new IllegalStateException("the Debezium engine ended without saying how", e);
            }
        }

        private void completed(boolean success, String message, Throwable failure) {
            if (success) {
                LOG.info("CDC for source '{}' stopped: {}", config.name(), message);
                outcome.complete(null);
            } else {
                outcome.complete(failure != null ? failure : new IllegalStateException(message));
            }
        }

        /** Asks the engine to stop; waits while it is starting its tasks, which it refuses to interrupt. */
        void stop() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    engine.close();
                    return;
                } catch (IllegalStateException e) {
                    if (!String.valueOf(e.getMessage()).contains("tasks are starting") || System.nanoTime() > deadline) {
                        LOG.debug("Stopping the Debezium engine of source '{}': {}", config.name(), e.getMessage());
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Closing the Debezium engine of source '{}' failed: {}", config.name(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static final class PendingWatermark {
        final SourceDialect.Watermark mark;
        final CompletableFuture<Void> reached = new CompletableFuture<>();

        PendingWatermark(SourceDialect.Watermark mark) {
            this.mark = mark;
        }
    }
}
