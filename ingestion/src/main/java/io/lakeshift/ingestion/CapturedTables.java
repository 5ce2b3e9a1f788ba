package io.lakeshift.ingestion;

import io.lakeshift.core.io.AtomicFiles;
import io.lakeshift.core.io.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tables of a source whose existing rows are in Kafka: snapshotted when capture began, or by a
 * snapshot of their own when they were added to the source's {@code tables} later. Kept beside the
 * source's offsets ({@code <source>.tables}, one table per line, written atomically), because
 * Debezium's offsets say where the log was read up to, not which tables were snapshotted.
 */
final class CapturedTables {

    private final Path file;
    private final Set<String> tables = new TreeSet<>();

    private CapturedTables(Path file) {
        this.file = file;
    }

    static Path fileOf(Path stateDir, String source) {
        return stateDir.resolve(source + ".tables");
    }

    /**
     * The record of a source: read from its file, or, for a source captured before the file was kept
     * (offsets but no record), every configured table, written down as it is.
     *
     * @param resuming whether capture resumes from stored offsets (no initial snapshot)
     */
    static CapturedTables load(Path stateDir, String source, boolean resuming, Collection<String> configured) {
        CapturedTables record = new CapturedTables(fileOf(stateDir, source));
        try {
            if (Files.isRegularFile(record.file)) {
                for (String line : Files.readAllLines(record.file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        record.tables.add(line.strip());
                    }
                }
            } else if (resuming) {
                record.add(configured);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the captured tables of source '" + source + "' from " + record.file, e);
        }
        return record;
    }

    /** The configured tables whose existing rows are not in Kafka yet, in the configured order. */
    synchronized List<String> missing(Collection<String> configured) {
        List<String> missing = new ArrayList<>();
        for (String t : configured) {
            if (!tables.contains(t)) {
                missing.add(t);
            }
        }
        return missing;
    }

    /** Records tables as captured. */
    synchronized void add(Collection<String> captured) {
        if (tables.containsAll(captured)) {
            return;
        }
        tables.addAll(captured);
        try {
            OwnerOnly.createDirectories(file.getParent());
            AtomicFiles.write(file, (String.join("\n", tables) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the captured tables in " + file, e);
        }
    }
}
