package io.lakeshift.ingestion;

import io.lakeshift.core.config.SourceConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * What differs between the kinds of database Lakeshift captures: connector settings, how a change's
 * place in the source's total order is read, watermarks, replication lag, and the server-side
 * objects a source owns (PostgreSQL's replication slot and publication).
 */
interface SourceDialect {

    static SourceDialect of(SourceConfig source) {
        return switch (source.kind()) {
            case "postgres" -> new PostgresDialect();
            case "mysql", "mariadb" -> new MySqlDialect(source.kind());
            default -> throw new IllegalArgumentException("source '" + source.name() + "' of kind " + source.kind()
                    + " is not captured by Debezium (CDC kinds: " + SourceConfig.CDC_KINDS + ")");
        };
    }

    /** The envelope's {@code source.system}. */
    String system();

    /** Adds the connector's settings for this kind of database. */
    void configure(Properties properties, SourceConfig source, java.nio.file.Path stateDir);

    /** The position of a change, from Debezium's {@code source} block. */
    SourcePosition position(Struct source);

    /** A JDBC URL for Lakeshift's own connections (watermarks, lag, checks). */
    String jdbcUrl(SourceConfig source);

    /**
     * Checks the source before capture starts and says in the log what it will create or reuse.
     *
     * @return problems an operator must know about (also logged), empty when none
     */
    List<String> prepare(Connection connection, SourceConfig source) throws SQLException;

    /** Whether a captured table ({@code schema.table}, as configured) holds any row. */
    default boolean hasRows(Connection connection, String table) throws SQLException {
        try (java.sql.Statement st = connection.createStatement();
                java.sql.ResultSet rows = st.executeQuery("SELECT 1 FROM " + quoted(connection, table) + " LIMIT 1")) {
            return rows.next();
        }
    }

    /**
     * The source's own estimate of a captured table's rows, from its statistics (no count is run):
     * what a snapshot's progress is measured against; -1 when the source has none.
     */
    long estimatedRows(Connection connection, String table) throws SQLException;

    /** {@code schema.table} as configured, each part quoted as the source quotes identifiers. */
    static String quoted(Connection connection, String table) throws SQLException {
        String quote = connection.getMetaData().getIdentifierQuoteString();
        StringBuilder name = new StringBuilder();
        for (String part : table.split("\\.", 2)) {
            name.append(name.length() == 0 ? "" : ".").append(quote).append(part.replace(quote, quote + quote)).append(quote);
        }
        return name.toString();
    }

    /** Writes a watermark into the source's log, or notes its current end. */
    Watermark emitWatermark(Connection connection) throws SQLException;

    /**
     * Replication lag as the server sees it.
     *
     * @param lastOffset the newest source offset capture has processed, or null
     */
    Lag lag(Connection connection, SourceConfig source, Map<String, ?> lastOffset) throws SQLException;

    /**
     * Removes what the source owns on the server.
     *
     * @return what was removed, for people
     */
    List<String> drop(Connection connection, SourceConfig source) throws SQLException;

    /** A watermark waiting to be seen by capture. */
    interface Watermark {
        String id();

        /** True when capture processing {@code record} proves every change before the watermark was seen. */
        boolean reachedBy(SourceRecord record);
    }

    /**
     * @param bytes bytes of log the source keeps for this capture (WAL retained by the slot, binlog
     *     not yet read), -1 when unknown
     * @param detail one line for people
     */
    record Lag(long bytes, String detail) {
    }
}
