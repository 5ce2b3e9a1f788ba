package io.lakeshift.runtime.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * The demo's legacy retail database: customers, orders and order lines (composite key), covering
 * the types legacy schemas are made of: numeric(12,2) and wider decimals, timestamptz and
 * timestamp, date, boolean, unicode text, NULLs and jsonb.
 */
public final class RetailSchema {

    public static final String SCHEMA = "retail";
    public static final List<String> TABLES = List.of("retail.customers", "retail.orders", "retail.order_lines");

    static final List<String> NAMES = List.of("Zoë Ångström", "José Núñez", "李小龍", "Ōta Kyōko", "Søren Kierkegård",
            "Владимир Набоков", "Antonín Dvořák", "Ngozi Adìchie", "Ærø Trading ApS", "François L'Écuyer", "Grace Hopper",
            "محمد الخوارزمي", "Ελένη Παπαδοπούλου", "Ada Lovelace", "Đặng Thái Sơn", "😀 Emoji Corp");
    static final List<String> STATUSES = List.of("NEW", "PAID", "SHIPPED", "DELIVERED", "CANCELLED");
    static final List<String> SKUS = List.of("SKU-1001", "SKU-1002", "SKU-2001", "SKU-3001", "SKU-3002", "SKU-4004");

    private static final String DDL = """
            CREATE SCHEMA retail;
            CREATE TABLE retail.customers (
                customer_id    bigint PRIMARY KEY,
                name           text NOT NULL,
                email          text,
                country        varchar(2),
                credit_limit   numeric(12,2),
                lifetime_value numeric(20,6),
                active         boolean NOT NULL,
                created_at     timestamptz NOT NULL,
                updated_at     timestamp,
                birth_date     date,
                profile        jsonb
            );
            CREATE TABLE retail.orders (
                order_id    bigint PRIMARY KEY,
                customer_id bigint NOT NULL REFERENCES retail.customers,
                order_date  date NOT NULL,
                status      text NOT NULL,
                total       numeric(12,2) NOT NULL,
                placed_at   timestamptz NOT NULL,
                shipped_at  timestamp,
                note        text
            );
            CREATE TABLE retail.order_lines (
                order_id   bigint NOT NULL REFERENCES retail.orders ON DELETE CASCADE,
                line_no    integer NOT NULL,
                sku        text NOT NULL,
                quantity   integer NOT NULL,
                unit_price numeric(10,2) NOT NULL,
                discount   numeric(5,4),
                PRIMARY KEY (order_id, line_no)
            );
            """;

    private RetailSchema() {
    }

    public static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String statement : DDL.split(";")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
        }
    }

    /** Seeds customers and orders (1 to 4 lines each) in one transaction per table. */
    public static void seed(Connection c, int customers, int orders, Random random) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ins = c.prepareStatement(INSERT_CUSTOMER)) {
            for (long id = 1; id <= customers; id++) {
                bindCustomer(ins, id, random);
                ins.addBatch();
            }
            ins.executeBatch();
        }
        try (PreparedStatement order = c.prepareStatement(INSERT_ORDER); PreparedStatement line = c.prepareStatement(INSERT_LINE)) {
            for (long id = 1; id <= orders; id++) {
                bindOrder(order, id, 1 + random.nextInt(customers), random);
                order.addBatch();
                int lines = 1 + random.nextInt(4);
                for (int n = 1; n <= lines; n++) {
                    bindLine(line, id, n, random);
                    line.addBatch();
                }
            }
            order.executeBatch();
            line.executeBatch();
        }
        c.commit();
        c.setAutoCommit(autoCommit);
    }

    static final String INSERT_CUSTOMER = "INSERT INTO retail.customers (customer_id, name, email, country, credit_limit,"
            + " lifetime_value, active, created_at, updated_at, birth_date, profile) VALUES (?,?,?,?,?,?,?,?,?,?,?::jsonb)";
    static final String INSERT_ORDER = "INSERT INTO retail.orders (order_id, customer_id, order_date, status, total,"
            + " placed_at, shipped_at, note) VALUES (?,?,?,?,?,?,?,?)";
    static final String INSERT_LINE = "INSERT INTO retail.order_lines (order_id, line_no, sku, quantity, unit_price, discount)"
            + " VALUES (?,?,?,?,?,?)";

    static void bindCustomer(PreparedStatement ps, long id, Random r) throws SQLException {
        String name = NAMES.get(r.nextInt(NAMES.size()));
        ps.setLong(1, id);
        ps.setString(2, name + " #" + id);
        if (r.nextInt(5) == 0) {
            ps.setNull(3, Types.VARCHAR);
        } else {
            ps.setString(3, "customer" + id + "@example.com");
        }
        ps.setString(4, List.of("DK", "FR", "JP", "US", "NG", "VN", "GR").get(r.nextInt(7)));
        ps.setBigDecimal(5, r.nextInt(6) == 0 ? null : money(r, 100_000));
        ps.setBigDecimal(6, new BigDecimal(r.nextLong(1_000_000_000_000L)).movePointLeft(6).add(new BigDecimal(r.nextInt(99_999_999))));
        ps.setBoolean(7, r.nextInt(10) != 0);
        ps.setObject(8, timestamptz(r));
        ps.setTimestamp(9, r.nextInt(4) == 0 ? null : Timestamp.valueOf(localTimestamp(r)));
        ps.setDate(10, r.nextInt(3) == 0 ? null : Date.valueOf(LocalDate.of(1940 + r.nextInt(65), 1 + r.nextInt(12), 1 + r.nextInt(28))));
        ps.setString(11, r.nextInt(4) == 0 ? null
                : "{\"tier\": \"" + List.of("bronze", "silver", "gold").get(r.nextInt(3)) + "\", \"score\": " + r.nextInt(1000)
                + ", \"tags\": [\"" + name.replace("\"", "") + "\"]}");
    }

    static void bindOrder(PreparedStatement ps, long id, long customerId, Random r) throws SQLException {
        OffsetDateTime placed = timestamptz(r);
        ps.setLong(1, id);
        ps.setLong(2, customerId);
        ps.setDate(3, Date.valueOf(placed.toLocalDate()));
        ps.setString(4, STATUSES.get(r.nextInt(STATUSES.size())));
        ps.setBigDecimal(5, money(r, 5_000));
        ps.setObject(6, placed);
        ps.setTimestamp(7, r.nextBoolean() ? null : Timestamp.valueOf(localTimestamp(r)));
        ps.setString(8, r.nextInt(3) == 0 ? null : "note « " + NAMES.get(r.nextInt(NAMES.size())) + " »");
    }

    static void bindLine(PreparedStatement ps, long orderId, int lineNo, Random r) throws SQLException {
        ps.setLong(1, orderId);
        ps.setInt(2, lineNo);
        ps.setString(3, SKUS.get(r.nextInt(SKUS.size())));
        ps.setInt(4, 1 + r.nextInt(9));
        ps.setBigDecimal(5, money(r, 500));
        ps.setBigDecimal(6, r.nextInt(3) == 0 ? null : new BigDecimal(r.nextInt(3000)).movePointLeft(4));
    }

    static BigDecimal money(Random r, int max) {
        return new BigDecimal(r.nextInt(max * 100)).movePointLeft(2).setScale(2, RoundingMode.UNNECESSARY);
    }

    static OffsetDateTime timestamptz(Random r) {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        return base.plus(r.nextLong(300L * 24 * 3600 * 1_000_000L), ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static LocalDateTime localTimestamp(Random r) {
        return LocalDateTime.of(2026, 1, 1, 0, 0).plus(r.nextLong(300L * 24 * 3600 * 1_000_000L), ChronoUnit.MICROS);
    }
}
