package io.lakeshift.ingestion;

import io.lakeshift.core.config.SourceConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL and MariaDB through the binlog, with Debezium's MySQL connector (the MariaDB connector is
 * not served at Lakeshift's Debezium version; {@link MariaDbCompatibleDriver} covers the one
 * statement that differs).
 *
 * <p>{@code source.seq}: the first long is {@code fileNumber << 32 | position}, where fileNumber
 * is the numeric suffix of the binlog file ({@code mysql-bin.000042} is 42) and position the
 * byte offset of the row event in that file. Binlog files are numbered in ascending order and a
 * file never exceeds 4 GiB ({@code max_binlog_size} is at most 1 GiB), so the long sorts like
 * (file, position). The second long is 0 for snapshot reads and the row's index within its row
 * event plus one for streamed changes: one event can hold many rows, and a snapshot read sorts
 * before any change streamed at the same place.
 */
final class MySqlDialect implements SourceDialect {

    private static final Logger LOG = LoggerFactory.getLogger(MySqlDialect.class);
    /** MariaDB column types the MySQL connector's DDL parser does not know. */
    private static final List<String> UNPARSEABLE_MARIADB_TYPES = List.of("uuid", "inet4", "inet6");

    private final String kind;
    private Schema sourceSchema;
    private Field dbField;
    private Field tableField;
    private Field fileField;
    private Field posField;
    private Field rowField;
    private Field snapshotField;
    private Field tsField;
    /** Snapshot reads converted so far; positions are read on the engine's one delivery thread. */
    private long snapshotReads;

    MySqlDialect(String kind) {
        this.kind = kind;
    }

    @Override
    public String system() {
        return kind.equals("mariadb") ? "mariadb" : "mysql";
    }

    @Override
    public void configure(Properties p, SourceConfig source, Path stateDir) {
        p.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        // A replication client id unique per source; override with properties.database.server.id.
        p.setProperty("database.server.id", Long.toString(5_400_000L + Math.floorMod(source.name().hashCode(), 1_000_000)));
        TreeSet<String> databases = new TreeSet<>();
        source.tables().forEach(t -> databases.add(t.substring(0, t.indexOf('.'))));
        p.setProperty("database.include.list", String.join(",", databases));
        p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.setProperty("schema.history.internal.file.filename", ConnectorProperties.schemaHistoryFile(stateDir, source).toString());
        p.setProperty("include.schema.changes", "false");
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        // BOOLEAN is TINYINT(1) in MySQL: written as a boolean, as PostgreSQL's boolean is.
        p.setProperty("converters", "boolean");
        p.setProperty("boolean.type", "io.debezium.connector.binlog.converters.TinyIntOneToBooleanConverter");
        // The server sends binlog heartbeats on an idle binlog, so the position (and watermarks) advance.
        p.setProperty("connect.keep.alive.interval.ms", ConnectorProperties.HEARTBEAT_MS);
        if (kind.equals("mariadb")) {
            p.setProperty("database.jdbc.driver", MariaDbCompatibleDriver.class.getName());
        }
    }

    @Override
    public SourcePosition position(Struct source) {
        if (source.schema() != sourceSchema) {
            bind(source.schema());
        }
        String file = (String) source.get(fileField);
        Long pos = (Long) source.get(posField);
        Integer row = (Integer) source.get(rowField);
        String snapshot = (String) source.get(snapshotField);
        boolean isSnapshot = snapshot != null && !"false".equals(snapshot);
        long position = pos == null ? 0L : pos;
        int rowIndex = row == null ? 0 : row;
        Long ts = (Long) source.get(tsField);
        String db = (String) source.get(dbField);
        return new SourcePosition(db, db, (String) source.get(tableField), seqHigh(file, position),
                isSnapshot ? SourcePosition.snapshotReadLow(++snapshotReads) : rowIndex + 1L, "binlog=" + file + ":" + position + " row=" + rowIndex, isSnapshot,
                ts == null ? 0L : ts);
    }

    /** Debezium's source block has one schema per connector: its fields are looked up once. */
    private void bind(Schema schema) {
        dbField = schema.field("db");
        tableField = schema.field("table");
        fileField = schema.field("file");
        posField = schema.field("pos");
        rowField = schema.field("row");
        snapshotField = schema.field("snapshot");
        tsField = schema.field("ts_ms");
        sourceSchema = schema;
    }

    static long seqHigh(String file, long position) {
        return fileNumber(file) << 32 | (position & 0xFFFFFFFFL);
    }

    static long fileNumber(String file) {
        if (file == null) {
            return 0;
        }
        int dot = file.lastIndexOf('.');
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String jdbcUrl(SourceConfig source) {
        // The MySQL driver talks to MariaDB too; Lakeshift ships no MariaDB driver.
        return "jdbc:mysql://" + source.host() + ":" + source.port() + "/" + source.database()
                + "?connectTimeout=10000&allowPublicKeyRetrieval=true";
    }

    @Override
    public List<String> prepare(Connection c, SourceConfig source) throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<String, String> vars = variables(c, "log_bin", "binlog_format", "binlog_row_image", "version");
        if (!"ON".equalsIgnoreCase(vars.get("log_bin"))) {
            throw new IllegalStateException("source '" + source.name() + "': the server's binary log is off; start it with"
                    + " log-bin, binlog_format=ROW and binlog_row_image=FULL");
        }
        if (!"ROW".equalsIgnoreCase(vars.get("binlog_format"))) {
            throw new IllegalStateException("source '" + source.name() + "': binlog_format is " + vars.get("binlog_format")
                    + "; change data capture needs binlog_format=ROW");
        }
        if (!"FULL".equalsIgnoreCase(vars.get("binlog_row_image"))) {
            problems.add("binlog_row_image is " + vars.get("binlog_row_image") + ", not FULL: updates and deletes carry only"
                    + " part of the row");
        }
        String[] end = binlogEnd(c);
        LOG.info("Source '{}': {} {} with the binary log at {}:{}", source.name(), system(), vars.get("version"),
                end[0], end[1]);
        for (String table : source.tables()) {
            String[] parts = table.split("\\.", 2);
            try (PreparedStatement st = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
                    + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
                st.setString(1, parts[0]);
                st.setString(2, parts[1]);
                boolean exists = false;
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        exists = true;
                        String type = rs.getString(2).toLowerCase(Locale.ROOT);
                        if (UNPARSEABLE_MARIADB_TYPES.contains(type)) {
                            problems.add("column " + table + "." + rs.getString(1) + " has MariaDB type " + type
                                    + ", which Debezium's MySQL connector cannot parse: capture of this source stops at its"
                                    + " table definition. Use char(36)/binary(16) (uuid) or varchar (inet), or leave the table out");
                        }
                    }
                }
                if (!exists) {
                    problems.add("table " + table + " does not exist (yet): nothing is captured from it until it does");
                }
            }
        }
        problems.forEach(p -> LOG.warn("Source '{}': {}", source.name(), p));
        return problems;
    }

    @Override
    public Watermark emitWatermark(Connection connection) throws SQLException {
        String[] end = binlogEnd(connection);
        long target = seqHigh(end[0], Long.parseLong(end[1]));
        String id = end[0] + ":" + end[1];
        return new Watermark() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public boolean reachedBy(SourceRecord record) {
                Map<String, ?> offset = record.sourceOffset();
                if (offset == null || !(offset.get("file") instanceof String file) || !(offset.get("pos") instanceof Number pos)) {
                    return false;
                }
                return seqHigh(file, pos.longValue()) >= target;
            }
        };
    }

    /** InnoDB's estimate in information_schema (it samples pages; no count is run). */
    @Override
    public long estimatedRows(Connection c, String table) throws SQLException {
        String[] parts = table.split("\\.", 2);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT table_rows FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, parts[0]);
            ps.setString(2, parts.length > 1 ? parts[1] : parts[0]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public Lag lag(Connection c, SourceConfig source, Map<String, ?> lastOffset) throws SQLException {
        Map<String, Long> files = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.put(rs.getString(1), rs.getLong(2));
            }
        }
        String[] end = binlogEnd(c);
        if (lastOffset == null || !(lastOffset.get("file") instanceof String file) || !(lastOffset.get("pos") instanceof Number p)) {
            return new Lag(-1, "server binlog at " + end[0] + ":" + end[1] + ", nothing read yet");
        }
        long behind = 0;
        boolean counting = false;
        for (Map.Entry<String, Long> f : files.entrySet()) {
            if (f.getKey().equals(file)) {
                counting = true;
                behind += Math.max(0, f.getValue() - p.longValue());
            } else if (counting) {
                behind += f.getValue();
            }
        }
        return new Lag(counting ? behind : -1, "read up to " + file + ":" + p + ", server binlog at " + end[0] + ":" + end[1]);
    }

    @Override
    public List<String> drop(Connection c, SourceConfig source) {
        // A binlog reader keeps no state on the server: its position lives in Lakeshift's offsets.
        return List.of();
    }

    /** The binlog's current end: file name and position. */
    static String[] binlogEnd(Connection c) throws SQLException {
        SQLException first = null;
        for (String sql : List.of("SHOW MASTER STATUS", "SHOW BINARY LOG STATUS")) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                if (rs.next()) {
                    return new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
                }
                throw new IllegalStateException("the server reports no binary log position: is log-bin on, and does the"
                        + " user have REPLICATION CLIENT (BINLOG MONITOR on MariaDB)?");
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    private static Map<String, String> variables(Connection c, String... names) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('"
                + String.join("','", names) + "')")) {
            while (rs.next()) {
                values.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        return values;
    }
}
