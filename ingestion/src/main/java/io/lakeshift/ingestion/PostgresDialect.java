package io.lakeshift.ingestion;

import io.lakeshift.core.config.SourceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL through pgoutput: one replication slot and one publication per source, both named
 * {@link SourceConfig#slotName()}.
 *
 * <p>{@code source.seq} is {@code [lsn, 0]} for snapshot reads and {@code [lsn, 1]} for streamed
 * changes. Ordering one key's changes by the change's own LSN is sound because PostgreSQL
 * serialises writes to the same row (row locks, unique-index waits): a later writer's change is
 * logged after the earlier writer committed.
 *
 * <p>Heartbeats write a non-transactional logical-decoding message (no table needed): it travels
 * through the slot like a change, so the slot's confirmed position advances even when the captured
 * tables are idle and other tables fill the WAL.
 */
final class PostgresDialect implements SourceDialect {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresDialect.class);
    static final String HEARTBEAT_PREFIX = "lakeshift.heartbeat";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Schema sourceSchema;
    private Field dbField;
    private Field schemaField;
    private Field tableField;
    private Field lsnField;
    private Field snapshotField;
    private Field tsField;
    /** Snapshot reads converted so far; positions are read on the engine's one delivery thread. */
    private long snapshotReads;

    @Override
    public String system() {
        return "postgresql";
    }

    @Override
    public void configure(Properties p, SourceConfig source, Path stateDir) {
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("database.dbname", source.database());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", source.slotName());
        p.setProperty("publication.name", source.slotName());
        p.setProperty("publication.autocreate.mode", "filtered");
        // Measured on 2 cores with the batch sizes in ConnectorProperties. (Not for MySQL: a fetch size
        // there switches the snapshot to a server-side cursor whose binary rows Debezium misreads, TIME first.)
        p.setProperty("snapshot.fetch.size", "10240");
        // An interval as an ISO-8601 duration: the default (microseconds) counts a month as 30 days.
        p.setProperty("interval.handling.mode", "string");
        // Each field's schema names its database type, so that money can be told from other decimals.
        p.setProperty("column.propagate.source.type", ".*");
        p.setProperty("heartbeat.action.query", "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_PREFIX + "', '')");
    }

    @Override
    public SourcePosition position(Struct source) {
        if (source.schema() != sourceSchema) {
            bind(source.schema());
        }
        Long lsn = (Long) source.get(lsnField);
        long position = lsn == null ? 0L : lsn;
        String snapshot = (String) source.get(snapshotField);
        boolean isSnapshot = snapshot != null && !"false".equals(snapshot);
        Long ts = (Long) source.get(tsField);
        return new SourcePosition((String) source.get(dbField), (String) source.get(schemaField), (String) source.get(tableField),
                position, isSnapshot ? SourcePosition.snapshotReadLow(++snapshotReads) : 1, "lsn=" + formatLsn(position), isSnapshot, ts == null ? 0L : ts);
    }

    /** Debezium's source block has one schema per connector: its fields are looked up once. */
    private void bind(Schema schema) {
        dbField = schema.field("db");
        schemaField = schema.field("schema");
        tableField = schema.field("table");
        lsnField = schema.field("lsn");
        snapshotField = schema.field("snapshot");
        tsField = schema.field("ts_ms");
        sourceSchema = schema;
    }

    @Override
    public String jdbcUrl(SourceConfig source) {
        return "jdbc:postgresql://" + source.host() + ":" + source.port() + "/" + source.database();
    }

    @Override
    public List<String> prepare(Connection c, SourceConfig source) throws SQLException {
        List<String> problems = new ArrayList<>();
        String walLevel = single(c, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            throw new IllegalStateException("source '" + source.name() + "': PostgreSQL runs with wal_level=" + walLevel
                    + "; logical decoding needs wal_level=logical (postgresql.conf, then a restart)");
        }
        String slot = source.slotName();
        try (PreparedStatement st = c.prepareStatement("SELECT pubname FROM pg_publication WHERE pubname = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    LOG.info("Source '{}': publication '{}' exists, reusing it", source.name(), slot);
                } else {
                    LOG.info("Source '{}': publication '{}' does not exist, creating it for {}", source.name(), slot,
                            source.tables());
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement(
                "SELECT plugin, active, active_pid, confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    LOG.info("Source '{}': replication slot '{}' does not exist, creating it (pgoutput)", source.name(), slot);
                } else if (rs.getBoolean("active")) {
                    problems.add("replication slot '" + slot + "' is in use by server process " + rs.getInt("active_pid")
                            + ": another capture of this source is running");
                } else if (!"pgoutput".equals(rs.getString("plugin"))) {
                    problems.add("replication slot '" + slot + "' uses plugin " + rs.getString("plugin")
                            + ", not pgoutput: drop it (lakeshift sources drop " + source.name() + ")");
                } else {
                    LOG.info("Source '{}': replication slot '{}' exists, reusing it (confirmed up to {})", source.name(), slot,
                            rs.getString("confirmed_flush_lsn"));
                }
            }
        }
        for (String table : source.tables()) {
            checkReplicaIdentity(c, source, table, problems);
        }
        problems.forEach(p -> LOG.warn("Source '{}': {}", source.name(), p));
        return problems;
    }

    /**
     * A table without a primary key needs REPLICA IDENTITY FULL: with the default, PostgreSQL
     * rejects UPDATE and DELETE on it once it is in a publication, and logs no old row to capture.
     * Lakeshift sets it (the capture user owns the tables); when it cannot, it says what to run.
     */
    private static void checkReplicaIdentity(Connection c, SourceConfig source, String table, List<String> problems)
            throws SQLException {
        String[] parts = table.split("\\.", 2);
        try (PreparedStatement st = c.prepareStatement("SELECT c.relreplident,"
                + " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            st.setString(1, parts[0]);
            st.setString(2, parts[1]);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    problems.add("table " + table + " does not exist (yet): nothing is captured from it until it does");
                    return;
                }
                String identity = rs.getString(1);
                boolean hasPk = rs.getBoolean(2);
                if ("f".equals(identity) || "i".equals(identity) || (hasPk && "d".equals(identity))) {
                    return;
                }
            }
        }
        String quoted = quote(parts[0]) + "." + quote(parts[1]);
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + quoted + " REPLICA IDENTITY FULL");
            LOG.info("Source '{}': table {} has no primary key (or REPLICA IDENTITY NOTHING): set REPLICA IDENTITY FULL,"
                    + " so its updates and deletes are captured with the whole row", source.name(), table);
        } catch (SQLException e) {
            problems.add("table " + table + " has no primary key and its REPLICA IDENTITY is not FULL: PostgreSQL will reject"
                    + " UPDATE and DELETE on it while it is published, and capture gets no old row. Run, as its owner:"
                    + " ALTER TABLE " + quoted + " REPLICA IDENTITY FULL (" + e.getMessage() + ")");
        }
    }

    @Override
    public Watermark emitWatermark(Connection connection) throws SQLException {
        String id = PostgresWatermarks.emit(connection);
        return new Watermark() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public boolean reachedBy(SourceRecord record) {
                return id.equals(messageContent(record, PostgresWatermarks.PREFIX));
            }
        };
    }

    /** The content of a logical-decoding message record with this prefix, or null. */
    static String messageContent(SourceRecord record, String prefix) {
        if (!(record.value() instanceof Struct value) || value.schema().field("message") == null) {
            return null;
        }
        Struct message = value.getStruct("message");
        if (message == null || !prefix.equals(message.getString("prefix"))) {
            return null;
        }
        return new String(ConnectValues.bytes(message.get("content")), StandardCharsets.UTF_8);
    }

    /** The planner's row estimate, or the statistics collector's live rows when the table was never analyzed. */
    @Override
    public long estimatedRows(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT GREATEST(c.reltuples::bigint, COALESCE(s.n_live_tup, 0))"
                + " FROM pg_class c LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid WHERE c.oid = to_regclass(?)")) {
            ps.setString(1, SourceDialect.quoted(c, table));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public Lag lag(Connection c, SourceConfig source, Map<String, ?> lastOffset) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT active,"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained,"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS unconfirmed,"
                + " confirmed_flush_lsn::text AS confirmed, pg_current_wal_lsn()::text AS current"
                + " FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, source.slotName());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return new Lag(-1, "replication slot '" + source.slotName() + "' does not exist");
                }
                return new Lag(rs.getLong("retained"), String.format("slot %s %s, confirmed %s, server at %s, %d bytes not yet confirmed",
                        source.slotName(), rs.getBoolean("active") ? "active" : "inactive", rs.getString("confirmed"),
                        rs.getString("current"), rs.getLong("unconfirmed")));
            }
        }
    }

    @Override
    public List<String> drop(Connection c, SourceConfig source) throws SQLException {
        List<String> dropped = new ArrayList<>();
        String slot = source.slotName();
        try (PreparedStatement st = c.prepareStatement("SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    if (rs.getBoolean("active")) {
                        throw new IllegalStateException("replication slot '" + slot + "' is in use by server process "
                                + rs.getInt("active_pid") + ": stop the ingestion service of source '" + source.name() + "' first");
                    }
                    try (PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                        drop.setString(1, slot);
                        drop.execute();
                    }
                    dropped.add("replication slot " + slot);
                }
            }
        }
        boolean publication;
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                publication = rs.next();
            }
        }
        if (publication) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP PUBLICATION " + quote(slot));
            }
            dropped.add("publication " + slot);
        }
        return dropped;
    }

    /** PostgreSQL's own LSN notation, {@code 16/B374D848}. */
    static String formatLsn(long lsn) {
        char[] out = new char[17];
        int i = hex(out, 0, lsn >>> 32);
        out[i++] = '/';
        i = hex(out, i, lsn & 0xFFFFFFFFL);
        return new String(out, 0, i);
    }

    private static int hex(char[] out, int at, long value) {
        int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(value)) / 4);
        for (int d = digits - 1; d >= 0; d--) {
            out[at++] = HEX[(int) (value >>> (d * 4)) & 0xF];
        }
        return at;
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
