package io.lakeshift.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.io.AtomicFiles;
import io.lakeshift.core.io.OwnerOnly;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where migrations are remembered, under {@code <dataDir>/migrations}: the state of each pipeline
 * ({@code state/<pipeline>.json}, replaced atomically after an fsync), the append-only audit log
 * ({@code audit.jsonl}, one JSON object a line, fsynced per line) and every reconciliation report
 * ({@code reconciliations/<pipeline>.jsonl}). Plain files, so they survive restarts and can be read
 * and backed up with ordinary tools.
 */
public final class MigrationStore {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationStore.class);
    static final ObjectMapper JSON = Json.mapper();

    private final Path dir;

    public MigrationStore(Path dataDir) {
        this.dir = dataDir.resolve("migrations");
    }

    public Path dir() {
        return dir;
    }

    public Optional<MigrationState> state(String pipeline) {
        Path file = dir.resolve("state").resolve(pipeline + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), MigrationState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration state " + file, e);
        }
    }

    public void save(MigrationState state) {
        Path stateDir = dir.resolve("state");
        Path target = stateDir.resolve(state.pipeline() + ".json");
        try {
            OwnerOnly.createDirectories(stateDir);
            AtomicFiles.write(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write migration state " + target, e);
        }
    }

    public void append(AuditEntry entry) {
        appendLine(dir.resolve("audit.jsonl"), entry);
        LOG.info("Migration audit: {} {} {} -> {}: {}", entry.pipeline(), entry.action(), entry.from(), entry.to(),
                entry.outcome());
    }

    /** The audit log, oldest first; only a pipeline's entries when {@code pipeline} is not null. */
    public List<AuditEntry> audit(String pipeline) {
        return readLines(dir.resolve("audit.jsonl"), AuditEntry.class).stream()
                .filter(e -> pipeline == null || pipeline.equals(e.pipeline())).toList();
    }

    public void append(ReconciliationReport report) {
        appendLine(dir.resolve("reconciliations").resolve(report.pipeline() + ".jsonl"), report);
    }

    /** Every reconciliation report of a pipeline, oldest first. */
    public List<ReconciliationReport> reconciliations(String pipeline) {
        return readLines(dir.resolve("reconciliations").resolve(pipeline + ".jsonl"), ReconciliationReport.class);
    }

    /**
     * Holds the migration lock of this data folder until closed, so that two commands never move
     * pipelines at the same time.
     */
    public AutoCloseable lock() {
        try {
            OwnerOnly.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve("lock"), java.util.Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE), OwnerOnly.fileAttributes(dir.resolve("lock")));
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new IllegalStateException("another lakeshift migrate command is running on " + dir);
            }
            return () -> {
                lock.release();
                ch.close();
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir, e);
        }
    }

    private void appendLine(Path file, Object value) {
        try {
            OwnerOnly.createDirectories(file.getParent());
            byte[] line = (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND), OwnerOnly.fileAttributes(file))) {
                ch.write(ByteBuffer.wrap(line));
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    private static <T> List<T> readLines(Path file, Class<T> type) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readValue(line, type));
                } catch (IOException e) {
                    if (i == lines.size() - 1) {
                        LOG.warn("Ignoring a torn last line of {} (a crash while appending)", file);
                    } else {
                        throw new UncheckedIOException("line " + (i + 1) + " of " + file + " is not valid", e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }
}
