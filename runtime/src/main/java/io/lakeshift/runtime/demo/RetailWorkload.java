package io.lakeshift.runtime.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps changing the retail database the way an application would: new orders with their lines,
 * status and amount updates, customer edits, and cancelled orders deleted (their lines cascade).
 * Every operation is one committed transaction.
 */
public final class RetailWorkload implements Runnable {

    private final Connection connection;
    private final Random random;
    private final Duration duration;
    private final int transactionsPerSecond;
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private volatile boolean stopped;
    private long nextCustomer;
    private long nextOrder;

    public RetailWorkload(Connection connection, Random random, Duration duration, int transactionsPerSecond) {
        this.connection = connection;
        this.random = random;
        this.duration = duration;
        this.transactionsPerSecond = transactionsPerSecond;
    }

    @Override
    public void run() {
        try {
            connection.setAutoCommit(false);
            nextCustomer = max("SELECT coalesce(max(customer_id), 0) FROM retail.customers") + 1;
            nextOrder = max("SELECT coalesce(max(order_id), 0) FROM retail.orders") + 1;
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long n = 0;
            while (!stopped && System.nanoTime() < end) {
                step();
                connection.commit();
                n++;
                long due = start + n * 1_000_000_000L / transactionsPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw new IllegalStateException("workload failed: " + e.getMessage(), e);
        }
    }

    public void stop() {
        stopped = true;
    }

    /** Row changes committed so far: inserted, updated and deleted rows (cascades not counted). */
    public long inserts() {
        return inserts.get();
    }

    public long updates() {
        return updates.get();
    }

    public long deletes() {
        return deletes.get();
    }

    private void step() throws SQLException {
        int dice = random.nextInt(100);
        if (dice < 35) {
            insertOrder();
        } else if (dice < 60) {
            updateOrder();
        } else if (dice < 72) {
            updateCustomer();
        } else if (dice < 84) {
            updateLine();
        } else if (dice < 94) {
            deleteOrder();
        } else {
            insertCustomer();
        }
    }

    private void insertCustomer() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(RetailSchema.INSERT_CUSTOMER)) {
            RetailSchema.bindCustomer(ps, nextCustomer++, random);
            inserts.addAndGet(ps.executeUpdate());
        }
    }

    private void insertOrder() throws SQLException {
        long orderId = nextOrder++;
        try (PreparedStatement order = connection.prepareStatement(RetailSchema.INSERT_ORDER);
                PreparedStatement line = connection.prepareStatement(RetailSchema.INSERT_LINE)) {
            RetailSchema.bindOrder(order, orderId, 1 + random.nextLong(nextCustomer - 1), random);
            inserts.addAndGet(order.executeUpdate());
            int lines = 1 + random.nextInt(4);
            for (int n = 1; n <= lines; n++) {
                RetailSchema.bindLine(line, orderId, n, random);
                inserts.addAndGet(line.executeUpdate());
            }
        }
    }

    private void updateOrder() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE retail.orders SET status = ?, total = ?, shipped_at = ?, note = ? WHERE order_id = ?")) {
            ps.setString(1, RetailSchema.STATUSES.get(random.nextInt(RetailSchema.STATUSES.size())));
            ps.setBigDecimal(2, RetailSchema.money(random, 5_000));
            ps.setTimestamp(3, random.nextBoolean() ? null : Timestamp.valueOf(RetailSchema.localTimestamp(random)));
            if (random.nextInt(4) == 0) {
                ps.setNull(4, Types.VARCHAR);
            } else {
                ps.setString(4, "updated ✓ " + random.nextInt(1000));
            }
            ps.setLong(5, randomOrder());
            updates.addAndGet(ps.executeUpdate());
        }
    }

    private void updateCustomer() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE retail.customers SET credit_limit = ?,"
                + " lifetime_value = lifetime_value + ?, active = NOT active, updated_at = localtimestamp,"
                + " profile = jsonb_set(coalesce(profile, '{}'), '{score}', to_jsonb(?::int)) WHERE customer_id = ?")) {
            ps.setBigDecimal(1, random.nextInt(5) == 0 ? null : RetailSchema.money(random, 100_000));
            ps.setBigDecimal(2, new java.math.BigDecimal(random.nextInt(1_000_000_000)).movePointLeft(6));
            ps.setInt(3, random.nextInt(1000));
            ps.setLong(4, 1 + random.nextLong(nextCustomer - 1));
            updates.addAndGet(ps.executeUpdate());
        }
    }

    private void updateLine() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE retail.order_lines SET quantity = quantity + 1, discount = ? WHERE order_id = ? AND line_no = 1")) {
            ps.setBigDecimal(1, random.nextBoolean() ? null : new java.math.BigDecimal(random.nextInt(3000)).movePointLeft(4));
            ps.setLong(2, randomOrder());
            updates.addAndGet(ps.executeUpdate());
        }
    }

    private void deleteOrder() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM retail.orders WHERE order_id = ?")) {
            ps.setLong(1, randomOrder());
            deletes.addAndGet(ps.executeUpdate());
        }
    }

    private long randomOrder() {
        return 1 + random.nextLong(nextOrder - 1);
    }

    private long max(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public String toString() {
        return "ins " + inserts() + ", upd " + updates() + ", del " + deletes();
    }
}
