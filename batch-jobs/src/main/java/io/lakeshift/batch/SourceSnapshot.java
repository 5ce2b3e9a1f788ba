package io.lakeshift.batch;

import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.jdbc.Lsn;
import io.lakeshift.core.jdbc.SourceConnections;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consistent read of a PostgreSQL source, shared by many connections: a snapshot held open
 * by a coordinator connection that every partition connection imports with
 * {@code SET TRANSACTION SNAPSHOT}, so that all partitions see exactly the same committed data,
 * however long the read takes and whatever commits meanwhile.
 *
 * <p>Two ways to get it, both telling the source position the snapshot corresponds to:
 * <ul>
 *   <li>{@link Method#REPLICATION_SLOT} (preferred): a temporary logical replication slot created
 *       with {@code EXPORT_SNAPSHOT}. Its {@code consistent_point} is exact: the snapshot holds every
 *       transaction that committed before that LSN and none after, the same boundary change data
 *       capture uses. Change events are ordered by the LSN of the change, not of its commit, so a
 *       transaction still open at that point would have changes before it yet be missing from the
 *       snapshot; the slot is therefore created again (a few times, briefly) until no writing
 *       transaction was open at its consistent point, which makes "every change before the
 *       position is in the snapshot, none after" exact. Needs the REPLICATION privilege and
 *       {@code wal_level=logical}, which a CDC source has anyway; the slot disappears with the
 *       connection.
 *   <li>{@link Method#EXPORTED_SNAPSHOT}: {@code pg_export_snapshot()} in a REPEATABLE READ
 *       transaction, with {@code pg_current_wal_insert_lsn()} read in the same statement. The LSN is
 *       then an upper bound: every change in the snapshot is before it; a transaction committing in
 *       the instant between taking the snapshot and reading the LSN is not in the snapshot yet is
 *       before the LSN. It is the insert position, not {@code pg_current_wal_lsn()}: that one is
 *       how far WAL has been written out, which under {@code synchronous_commit=off} lags behind
 *       commits the snapshot already sees.
 * </ul>
 */
final class SourceSnapshot implements AutoCloseable {

    /** How the snapshot was obtained. */
    enum Method {
        REPLICATION_SLOT("replication-slot"), EXPORTED_SNAPSHOT("exported-snapshot");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        static Method parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "slot", "replication-slot" -> REPLICATION_SLOT;
                case "export", "exported-snapshot" -> EXPORTED_SNAPSHOT;
                default -> throw new IllegalArgumentException("snapshot method must be auto, slot or export, got '" + text + "'");
            };
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SourceSnapshot.class);

    private final Connection replication;
    private final Connection reader;
    private final String snapshotName;
    private final long lsn;
    private final Method method;

    private SourceSnapshot(Connection replication, Connection reader, String snapshotName, long lsn, Method method) {
        this.replication = replication;
        this.reader = reader;
        this.snapshotName = snapshotName;
        this.lsn = lsn;
        this.method = method;
    }

    /**
     * Opens a snapshot of the source.
     *
     * @param preferred the method, or null for the replication slot with a fallback to an exported snapshot
     */
    static SourceSnapshot open(SourceConfig source, Method preferred) throws SQLException {
        if (!"postgres".equals(source.kind())) {
            throw new IllegalArgumentException("source '" + source.name() + "' is " + source.kind()
                    + ": the consistent full reload reads PostgreSQL sources");
        }
        if (preferred == Method.EXPORTED_SNAPSHOT) {
            return exported(source);
        }
        try {
            return replicationSlot(source);
        } catch (SQLException e) {
            if (preferred == Method.REPLICATION_SLOT) {
                throw e;
            }
            LOG.warn("Source '{}': no replication slot for an exact snapshot position ({}); using an exported snapshot,"
                    + " whose position is an upper bound", source.name(), e.getMessage());
            return exported(source);
        }
    }

    /** How often a slot is created again when writers were open at its consistent point. */
    static final int QUIET_POINT_ATTEMPTS = 25;

    private static SourceSnapshot replicationSlot(SourceConfig source) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            SourceSnapshot snapshot = replicationSlotOnce(source);
            int open;
            try {
                open = openWriters(snapshot.reader);
            } catch (SQLException | RuntimeException e) {
                snapshot.close();
                throw e;
            }
            if (open == 0) {
                return snapshot;
            }
            if (attempt >= QUIET_POINT_ATTEMPTS) {
                LOG.warn("Source '{}': {} writing transaction(s) were open at the snapshot's position {} on each of {} attempts;"
                        + " keys they change may reconcile as different until their next change", source.name(), open,
                        Lsn.format(snapshot.lsn), attempt);
                return snapshot;
            }
            LOG.debug("Source '{}': {} writing transaction(s) open at {}, taking the snapshot again", source.name(), open,
                    Lsn.format(snapshot.lsn));
            snapshot.close();
            try {
                Thread.sleep(5L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while taking a snapshot of source '" + source.name() + "'", e);
            }
        }
    }

    /** Writing transactions in progress when the reader's (imported) snapshot was taken. */
    private static int openWriters(Connection reader) throws SQLException {
        try (Statement st = reader.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM txid_snapshot_xip(txid_current_snapshot())")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static SourceSnapshot replicationSlotOnce(SourceConfig source) throws SQLException {
        Properties props = SourceConnections.properties(source);
        props.setProperty("replication", "database");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("assumeMinServerVersion", "10");
        Connection replication = DriverManager.getConnection(source.jdbcUrl(), props);
        try {
            String slot = "lakeshift_reload_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            String snapshot;
            long lsn;
            try (Statement st = replication.createStatement();
                    ResultSet rs = st.executeQuery("CREATE_REPLICATION_SLOT " + slot + " TEMPORARY LOGICAL pgoutput EXPORT_SNAPSHOT")) {
                rs.next();
                lsn = Lsn.parse(rs.getString("consistent_point"));
                snapshot = rs.getString("snapshot_name");
            }
            Connection reader = importing(source, snapshot);
            LOG.info("Source '{}': snapshot {} at {} (temporary replication slot {})", source.name(), snapshot, Lsn.format(lsn), slot);
            return new SourceSnapshot(replication, reader, snapshot, lsn, Method.REPLICATION_SLOT);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(replication);
            throw e;
        }
    }

    private static SourceSnapshot exported(SourceConfig source) throws SQLException {
        Connection exporter = SourceConnections.open(source);
        try {
            exporter.setAutoCommit(false);
            exporter.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            exporter.setReadOnly(true);
            String snapshot;
            long lsn;
            try (Statement st = exporter.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_export_snapshot(), pg_current_wal_insert_lsn()::text")) {
                rs.next();
                snapshot = rs.getString(1);
                lsn = Lsn.parse(rs.getString(2));
            }
            LOG.info("Source '{}': exported snapshot {} at or before {}", source.name(), snapshot, Lsn.format(lsn));
            // The exporting transaction is also the reader: it already sees the snapshot.
            return new SourceSnapshot(null, exporter, snapshot, lsn, Method.EXPORTED_SNAPSHOT);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(exporter);
            throw e;
        }
    }

    /** A connection in a REPEATABLE READ transaction that imported {@code snapshot}. */
    private static Connection importing(SourceConfig source, String snapshot) throws SQLException {
        Connection c = SourceConnections.open(source);
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * The statement a partition connection runs first to see this snapshot. It works whether the
     * connection is in autocommit mode or already inside an implicit transaction (Spark's JDBC
     * source turns autocommit off before running it when a fetch size is set): end any open
     * transaction, open a REPEATABLE READ one, import the snapshot. An import that fails (snapshot
     * gone, wrong isolation) fails the read rather than silently reading the present.
     */
    String sessionInitStatement() {
        return "COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '"
                + snapshotName.replace("'", "''") + "'";
    }

    /** A connection that sees the snapshot, for counts and bounds; do not commit it. */
    Connection reader() {
        return reader;
    }

    String snapshotName() {
        return snapshotName;
    }

    /** The source position as a WAL LSN. */
    long lsn() {
        return lsn;
    }

    /** The position as Lakeshift writes source positions: {@code lsn=0/16B3748}. */
    String position() {
        return Lsn.position(lsn);
    }

    Method method() {
        return method;
    }

    /** Ends the read: the snapshot (and a temporary slot) is released. */
    @Override
    public void close() {
        if (reader != null) {
            try {
                reader.rollback();
            } catch (SQLException e) {
                LOG.debug("Rolling back the snapshot reader failed: {}", e.getMessage());
            }
            closeQuietly(reader);
        }
        closeQuietly(replication);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("Closing a source connection failed: {}", e.getMessage());
        }
    }
}
