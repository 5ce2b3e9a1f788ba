package io.lakeshift.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The chaos benchmark's source: three tables changed at a steady rate by inserts, updates (half of the
 * account updates move the row to another region, which is the lake table's partition) and deletes,
 * with one ADD COLUMN half way. It counts every change it commits per table, which is what each
 * changelog must hold exactly once.
 */
final class ChaosWorkload implements Runnable {

    static final List<String> TABLES = List.of("chaos.accounts", "chaos.orders", "chaos.events");
    private static final String[] REGIONS = {"emea", "amer", "apac", "latam"};
    private static final int PER_TRANSACTION = 10;

    private final Connection connection;
    private final Random random;
    private final long changes;
    private final int rate;
    private final Map<String, List<Long>> live = new LinkedHashMap<>();
    private final Map<String, Long> committed = new LinkedHashMap<>();
    private final Map<String, Long> nextId = new LinkedHashMap<>();
    private volatile long done;
    private volatile boolean finished;

    ChaosWorkload(Connection connection, Random random, long changes, int rate) {
        this.connection = connection;
        this.random = random;
        this.changes = changes;
        this.rate = rate;
    }

    /** Creates the tables with {@code rows} rows each; returns the rows per table (the snapshot's changes). */
    Map<String, Long> create(int rows) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA chaos");
            st.execute("CREATE TABLE chaos.accounts (id bigint PRIMARY KEY, region text NOT NULL, balance numeric(14,2) NOT NULL,"
                    + " owner text, updated_at timestamptz NOT NULL)");
            st.execute("CREATE TABLE chaos.orders (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount numeric(12,2) NOT NULL,"
                    + " status text NOT NULL)");
            st.execute("CREATE TABLE chaos.events (id bigint PRIMARY KEY, kind text NOT NULL, payload text)");
            st.execute("INSERT INTO chaos.accounts SELECT g, (ARRAY['emea','amer','apac','latam'])[1 + g % 4], g * 10.5, 'owner ' || g,"
                    + " now() FROM generate_series(1, " + rows + ") g");
            st.execute("INSERT INTO chaos.orders SELECT g, 1 + g % " + rows + ", g % 500 + 0.25, 'NEW' FROM generate_series(1, " + rows + ") g");
            st.execute("INSERT INTO chaos.events SELECT g, 'seed', 'é ' || g FROM generate_series(1, " + rows + ") g");
        }
        Map<String, Long> snapshot = new LinkedHashMap<>();
        for (String t : TABLES) {
            List<Long> ids = new ArrayList<>(rows);
            for (long i = 1; i <= rows; i++) {
                ids.add(i);
            }
            live.put(t, ids);
            nextId.put(t, rows + 1L);
            committed.put(t, 0L);
            snapshot.put(t, (long) rows);
        }
        return snapshot;
    }

    @Override
    public void run() {
        try {
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            boolean altered = false;
            while (done < changes) {
                if (!altered && done >= changes / 2) {
                    try (Statement st = connection.createStatement()) {
                        st.execute("ALTER TABLE chaos.accounts ADD COLUMN tier smallint");
                    }
                    connection.commit();
                    altered = true;
                }
                Map<String, Long> inTx = transaction(altered);
                connection.commit();
                inTx.forEach((t, n) -> committed.merge(t, n, Long::sum));
                done += PER_TRANSACTION;
                long due = start + (long) (done * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException("the chaos workload failed: " + e.getMessage(), e);
        } finally {
            finished = true;
        }
    }

    private Map<String, Long> transaction(boolean altered) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < PER_TRANSACTION; i++) {
            String table = TABLES.get(random.nextInt(TABLES.size()));
            List<Long> ids = live.get(table);
            int dice = random.nextInt(10);
            if (dice < 4 || ids.size() < 100) {
                insert(table, altered);
            } else if (dice < 8) {
                update(table, ids.get(random.nextInt(ids.size())), altered);
            } else {
                int at = random.nextInt(ids.size());
                long id = ids.get(at);
                ids.set(at, ids.get(ids.size() - 1));
                ids.remove(ids.size() - 1);
                try (PreparedStatement st = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                    st.setLong(1, id);
                    st.executeUpdate();
                }
            }
            counts.merge(table, 1L, Long::sum);
        }
        return counts;
    }

    private void insert(String table, boolean altered) throws SQLException {
        long id = nextId.merge(table, 1L, Long::sum) - 1;
        String sql = switch (table) {
            case "chaos.accounts" -> altered
                    ? "INSERT INTO chaos.accounts (id, region, balance, owner, updated_at, tier) VALUES (?, ?, 1.00, 'new', now(), 1)"
                    : "INSERT INTO chaos.accounts (id, region, balance, owner, updated_at) VALUES (?, ?, 1.00, 'new', now())";
            case "chaos.orders" -> "INSERT INTO chaos.orders VALUES (?, ?, 9.99, 'NEW')";
            default -> "INSERT INTO chaos.events VALUES (?, ?, 'payload ✓')";
        };
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setLong(1, id);
            if (table.equals("chaos.orders")) {
                st.setLong(2, 1 + random.nextInt(1000));
            } else {
                st.setString(2, table.equals("chaos.accounts") ? REGIONS[random.nextInt(REGIONS.length)] : "insert");
            }
            st.executeUpdate();
        }
        live.get(table).add(id);
    }

    private void update(String table, long id, boolean altered) throws SQLException {
        String sql = switch (table) {
            // half of the updates move the account to another region: another partition of the lake table
            case "chaos.accounts" -> random.nextBoolean()
                    ? "UPDATE chaos.accounts SET region = ?, updated_at = now() WHERE id = ?"
                    : "UPDATE chaos.accounts SET balance = balance + 1, owner = ?" + (altered ? ", tier = 2" : "") + " WHERE id = ?";
            case "chaos.orders" -> "UPDATE chaos.orders SET amount = amount + 1, status = ? WHERE id = ?";
            default -> "UPDATE chaos.events SET payload = ? WHERE id = ?";
        };
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, table.equals("chaos.accounts") ? REGIONS[random.nextInt(REGIONS.length)] : "u" + random.nextInt(1000));
            st.setLong(2, id);
            st.executeUpdate();
        }
    }

    long done() {
        return done;
    }

    boolean finished() {
        return finished;
    }

    /** Changes committed per table so far (read after {@link #run} ended). */
    Map<String, Long> committed() {
        return Map.copyOf(committed);
    }
}
