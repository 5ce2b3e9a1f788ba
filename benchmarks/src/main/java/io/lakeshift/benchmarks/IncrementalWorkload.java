package io.lakeshift.benchmarks;

import io.lakeshift.runtime.demo.RetailSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's source data, made by PostgreSQL itself: the demo's retail schema with
 * {@code orders} rows, 1.5 lines per order, 10,000 customers; then a change of a number of the
 * orders: half of the changed orders updated, three tenths inserted (with a line each), two tenths
 * deleted (with their lines, by the schema's cascade), spread evenly over the whole table, so the
 * changes touch every data file (no locality an incremental path could profit from).
 */
final class IncrementalWorkload {

    static final int CUSTOMERS = 10_000;

    private IncrementalWorkload() {
    }

    static void create(Connection c, long orders) throws SQLException {
        RetailSchema.create(c);
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO retail.customers (customer_id, name, email, country, credit_limit, active, created_at)"
                    + " SELECT i, 'Customer ' || i, 'c' || i || '@example.com', 'DE', 1000.00, true,"
                    + " TIMESTAMPTZ '2025-01-01 00:00:00+00' + i * INTERVAL '1 minute' FROM generate_series(1, " + CUSTOMERS + ") i");
            st.execute("INSERT INTO retail.orders (order_id, customer_id, order_date, status, total, placed_at, shipped_at, note)"
                    + " SELECT i, 1 + i % " + CUSTOMERS + ", DATE '2026-01-01' + (i % 90)::int, 'NEW', round((10 + i % 997 * 0.37)::numeric, 2),"
                    + " TIMESTAMPTZ '2026-01-01 08:00:00+00' + i * INTERVAL '5 seconds', NULL, NULL FROM generate_series(1, " + orders + ") i");
            st.execute("INSERT INTO retail.order_lines (order_id, line_no, sku, quantity, unit_price, discount)"
                    + " SELECT o, l, 'SKU-' || (1000 + o % 7), 1 + o % 5, round((2 + o % 113 * 0.11)::numeric, 2),"
                    + " CASE WHEN o % 3 = 0 THEN 0.0500 ELSE NULL END"
                    + " FROM generate_series(1, " + orders + ") o, generate_series(1, 2) l WHERE l <= 1 + o % 2");
            st.execute("ANALYZE");
        }
    }

    /**
     * A few changes of each kind, on rows {@link #change} leaves alone (order ids 7 mod 20,000
     * updated, 13 mod 50,000 deleted, new orders above twice the seeded ones), so that the
     * incremental path can run once before it is timed.
     */
    static void warmUp(Connection c, long orders) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("UPDATE retail.orders SET status = 'PAID', total = total + 1.00 WHERE order_id % 20000 = 7");
            st.execute("DELETE FROM retail.orders WHERE order_id % 50000 = 13");
            st.execute("INSERT INTO retail.orders (order_id, customer_id, order_date, status, total, placed_at)"
                    + " SELECT i, 1 + i % " + CUSTOMERS + ", DATE '2026-04-02', 'NEW', 17.00, TIMESTAMPTZ '2026-04-02 09:00:00+00'"
                    + " FROM generate_series(" + (2 * orders + 1) + ", " + (2 * orders + 30) + ") i");
            st.execute("INSERT INTO retail.order_lines (order_id, line_no, sku, quantity, unit_price, discount)"
                    + " SELECT i, 1, 'SKU-1002', 1, 17.00, NULL FROM generate_series(" + (2 * orders + 1) + ", " + (2 * orders + 30) + ") i");
        }
    }

    /**
     * Changes {@code changed} orders (at least 3) in one transaction per kind.
     *
     * @param recent whether updates and deletes hit the newest orders (the newest five times as many
     *     orders as change, as in a shop where recent orders get paid, shipped or cancelled) or are
     *     spread over the whole table
     * @return changed order rows
     */
    static long change(Connection c, long orders, long changedOrders, boolean recent) throws SQLException {
        long changed = Math.max(3, changedOrders);
        long updates = changed / 2;
        long inserts = changed * 3 / 10;
        long deletes = changed - updates - inserts;
        long window = recent ? Math.min(orders, 5 * changed) : orders;
        long first = orders - window;
        long updateStride = Math.max(2, window / updates);
        long deleteStride = Math.max(2, window / deletes);
        try (Statement st = c.createStatement()) {
            st.execute("UPDATE retail.orders SET status = 'PAID', total = total + 1.00, shipped_at = TIMESTAMP '2026-04-01 12:00:00'"
                    + " WHERE order_id > " + first + " AND (order_id - " + first + ") % " + updateStride + " = 1"
                    + " AND order_id <= " + (first + updates * updateStride));
            st.execute("DELETE FROM retail.orders WHERE order_id > " + first + " AND (order_id - " + first + ") % " + deleteStride
                    + " = 2 AND order_id <= " + (first + deletes * deleteStride));
            st.execute("INSERT INTO retail.orders (order_id, customer_id, order_date, status, total, placed_at)"
                    + " SELECT i, 1 + i % " + CUSTOMERS + ", DATE '2026-04-01', 'NEW', 42.00, TIMESTAMPTZ '2026-04-01 09:00:00+00'"
                    + " FROM generate_series(" + (orders + 1) + ", " + (orders + inserts) + ") i");
            st.execute("INSERT INTO retail.order_lines (order_id, line_no, sku, quantity, unit_price, discount)"
                    + " SELECT i, 1, 'SKU-1001', 2, 21.00, NULL FROM generate_series(" + (orders + 1) + ", " + (orders + inserts) + ") i");
        }
        return updates + inserts + deletes;
    }
}
