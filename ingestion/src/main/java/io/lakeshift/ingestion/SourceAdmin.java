package io.lakeshift.ingestion;

import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.io.AtomicFiles;
import io.lakeshift.core.jdbc.SourceConnections;
import io.lakeshift.core.status.StatusFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Operations on a source outside capture: removing what it owns, on the server and in the data folder. */
public final class SourceAdmin {

    private SourceAdmin() {
    }

    /**
     * What {@link #drop} would remove, for a confirmation prompt.
     */
    public static List<String> describeDrop(SourceConfig source, Path dataDir) {
        List<String> what = new ArrayList<>();
        if (source.kind().equals("postgres")) {
            what.add("replication slot " + source.slotName() + " and publication " + source.slotName() + " on "
                    + source.host() + ":" + source.port() + "/" + source.database());
        }
        what.add("stored offsets" + (source.kind().equals("postgres") ? "" : " and schema history") + " under "
                + IngestionService.offsetsDir(dataDir));
        return what;
    }

    /**
     * Drops the source's replication slot and publication (PostgreSQL), its stored offsets and
     * schema history, and its status file. The next capture starts with a new snapshot. Refuses
     * while the slot is in use.
     *
     * @return what was removed, for people
     * @throws SQLException when the server cannot be reached (nothing local is removed then)
     * @throws IllegalStateException when the source is being captured right now
     */
    public static List<String> drop(SourceConfig source, Path dataDir) throws SQLException {
        SourceDialect dialect = SourceDialect.of(source);
        List<String> removed = new ArrayList<>();
        try (Connection c = SourceConnections.open(source, dialect.jdbcUrl(source))) {
            removed.addAll(dialect.drop(c, source));
        } catch (SQLException e) {
            throw new SQLException("cannot connect to " + source.kind() + " at " + source.host() + ":" + source.port()
                    + " as " + source.username() + ": " + e.getMessage(), e.getSQLState(), e);
        }
        Path offsets = IngestionService.offsetsDir(dataDir);
        Path offsetFile = ConnectorProperties.offsetFile(offsets, source);
        for (Path file : List.of(offsetFile, AtomicFiles.tempFileOf(offsetFile), ConnectorProperties.schemaHistoryFile(offsets, source),
                CapturedTables.fileOf(offsets, source.name()), ConnectorTls.trustStoreFile(offsets, source))) {
            try {
                if (Files.deleteIfExists(file)) {
                    removed.add("file " + file);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete " + file + ": " + e.getMessage(), e);
            }
        }
        new StatusFiles(dataDir, IngestionService.STATUS_GROUP).delete(source.name());
        return removed;
    }
}
