package io.lakeshift.benchmarks;

import io.lakeshift.runtime.stack.EmbeddedPostgresServer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The benchmark's PostgreSQL: the embedded server with the settings behind the reference figures
 * (wal_level=logical, max_wal_size=4GB, shared_buffers=512MB), and the table it captures.
 */
final class CdcBenchDatabase implements AutoCloseable {

    static final String TABLE = "bench.items";

    private final EmbeddedPostgresServer postgres;

    private CdcBenchDatabase(EmbeddedPostgresServer postgres) {
        this.postgres = postgres;
    }

    static CdcBenchDatabase start(Path dataDir) throws IOException {
        // the settings behind the baseline figures (shared/VERSIONS.md): a larger buffer cache for the snapshot
        return new CdcBenchDatabase(EmbeddedPostgresServer.start(dataDir, Map.of("shared_buffers", "512MB")));
    }

    int port() {
        return postgres.port();
    }

    Connection connect() throws SQLException {
        return postgres.superuserConnection();
    }

    /** A table of the usual shape (key, numbers, a decimal, text, a timestamp) with {@code rows} rows. */
    void seed(long rows) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA bench");
            st.execute("CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, account integer NOT NULL, amount numeric(12,2),"
                    + " status text, note text, updated_at timestamptz NOT NULL)");
            st.execute("INSERT INTO " + TABLE + " SELECT g, (g % 10000)::int, round((g % 100000) / 7.0, 2),"
                    + " CASE g % 3 WHEN 0 THEN 'open' WHEN 1 THEN 'paid' ELSE 'shipped' END,"
                    + " 'order ' || g || ' for account ' || (g % 10000),"
                    + " timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'"
                    + " FROM generate_series(1, " + rows + ") g");
            st.execute("VACUUM ANALYZE " + TABLE);
            // Reads the table once so both measured runs find it in shared buffers.
            st.execute("SELECT count(*), sum(amount) FROM " + TABLE);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
