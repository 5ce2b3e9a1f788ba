package io.lakeshift.ingestion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Source-position watermarks for PostgreSQL: a transactional logical-decoding message goes through
 * the WAL in commit order, so once CDC has seen it, it has seen every change committed before.
 * This is how Lakeshift compares like with like: at a source position, never at a wall-clock time.
 */
final class PostgresWatermarks {

    /** Message prefix of Lakeshift watermarks. */
    static final String PREFIX = "lakeshift.watermark";

    private PostgresWatermarks() {
    }

    /** Writes a watermark and returns its id. */
    static String emit(Connection connection) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_logical_emit_message(true, ?, ?)")) {
            st.setString(1, PREFIX);
            st.setString(2, id);
            st.execute();
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        return id;
    }
}
