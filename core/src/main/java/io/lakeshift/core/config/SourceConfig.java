package io.lakeshift.core.config;

import java.util.List;
import java.util.Map;

/**
 * A legacy source: a database captured by change data capture ({@code postgres}, {@code mysql},
 * {@code mariadb}), or a non-CDC source moved by Camel routes ({@code file}, {@code jdbc},
 * {@code jms}), whose kind-specific settings live in {@link #settings()} and are bound and
 * validated by the module that runs it.
 *
 * @param name short name, used in topic names, the Iceberg namespace and the replication slot
 * @param kind one of {@link #KINDS}
 * @param host host name, or {@code embedded} for the demo's embedded PostgreSQL
 * @param port port; the kind's usual port (5432, 3306) when left out
 * @param database database name
 * @param username user with replication rights
 * @param password the user's password (literal, env:NAME or file:PATH)
 * @param tables captured tables as {@code schema.table}
 * @param snapshotMode Debezium snapshot mode: {@code initial} (the default), {@code no_data}, {@code when_needed}, ...
 * @param properties extra Debezium connector properties, passed through as they are
 * @param topicPrefix topic prefix of this source's topics; null for {@code kafka.topicPrefix}
 * @param settings kind-specific settings of a non-CDC source (directory, format, columns, ...)
 * @param tls transport security of the connections to the database; null keeps the driver's default
 */
public record SourceConfig(
        String name,
        String kind,
        String host,
        int port,
        String database,
        String username,
        Secret password,
        List<String> tables,
        String snapshotMode,
        Map<String, String> properties,
        String topicPrefix,
        Map<String, Object> settings,
        SourceTls tls) {

    public static final String EMBEDDED = "embedded";
    /** Kinds captured by Debezium. */
    public static final List<String> CDC_KINDS = List.of("postgres", "mysql", "mariadb");
    /** Every source kind. */
    public static final List<String> KINDS = List.of("postgres", "mysql", "mariadb", "file", "jdbc", "jms");

    /** The snapshot mode of a CDC source that declares none: snapshot, then stream. */
    public static final String DEFAULT_SNAPSHOT_MODE = "initial";

    public SourceConfig {
        password = password == null ? Secret.empty() : password;
        if (CDC_KINDS.contains(kind)) {
            snapshotMode = snapshotMode == null || snapshotMode.isBlank() ? DEFAULT_SNAPSHOT_MODE : snapshotMode;
            port = port > 0 ? port : "postgres".equals(kind) ? 5432 : 3306;
        }
        tables = tables == null ? List.of() : List.copyOf(tables);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /** A source without transport settings: the driver's default. */
    public SourceConfig(String name, String kind, String host, int port, String database, String username, Secret password,
            List<String> tables, String snapshotMode, Map<String, String> properties, String topicPrefix,
            Map<String, Object> settings) {
        this(name, kind, host, port, database, username, password, tables, snapshotMode, properties, topicPrefix, settings, null);
    }

    /** A source captured by change data capture (Debezium). */
    public boolean cdc() {
        return CDC_KINDS.contains(kind);
    }

    /** This source's topic prefix: its own, or the Kafka default. */
    public String topicPrefixOr(String kafkaTopicPrefix) {
        return topicPrefix == null || topicPrefix.isBlank() ? kafkaTopicPrefix : topicPrefix;
    }

    public boolean embedded() {
        return EMBEDDED.equals(host);
    }

    public String jdbcUrl() {
        return switch (kind) {
            // MariaDB speaks the MySQL protocol; only the MySQL driver ships with Lakeshift
            case "mysql", "mariadb" -> "jdbc:mysql://" + host + ":" + port + "/" + database;
            default -> "jdbc:postgresql://" + host + ":" + port + "/" + database;
        };
    }

    /** Points this source at a running server (the embedded one, once it has a port). */
    public SourceConfig withServer(String newHost, int newPort, String newUser, Secret newPassword) {
        return new SourceConfig(name, kind, newHost, newPort, database, newUser, newPassword, tables,
                snapshotMode, properties, topicPrefix, settings, tls);
    }

    /** The replication slot and publication name Lakeshift uses for this source. */
    public String slotName() {
        return "lakeshift_" + name.replace('-', '_');
    }

    /** The password and properties whose keys look secret are masked. */
    @Override
    public String toString() {
        return "SourceConfig[name=" + name + ", kind=" + kind + ", host=" + host + ", port=" + port + ", database=" + database
                + ", username=" + username + ", password=" + password + ", tables=" + tables + ", snapshotMode=" + snapshotMode
                + ", properties=" + Secret.masked(properties) + ", topicPrefix=" + topicPrefix + ", settings=" + maskedSettings() + ", tls=" + tls + "]";
    }

    private Map<String, Object> maskedSettings() {
        Map<String, Object> masked = new java.util.TreeMap<>();
        settings.forEach((k, v) -> masked.put(k, Secret.looksSecret(k) && v != null ? Secret.MASK : v));
        return masked;
    }
}
