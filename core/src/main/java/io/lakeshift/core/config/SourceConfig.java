package io.lakeshift.core.config;

import java.util.List;
import java.util.Map;

/**
 * A legacy database captured by change data capture.
 *
 * @param name short name, used in topic names, the Iceberg namespace and the replication slot
 * @param kind {@code postgres}
 * @param host host name, or {@code embedded} for the demo's embedded PostgreSQL
 * @param port port
 * @param database database name
 * @param username user with replication rights
 * @param password the user's password (literal, env:NAME or file:PATH)
 * @param tables captured tables as {@code schema.table}
 * @param snapshotMode Debezium snapshot mode: {@code initial}, {@code no_data}, {@code when_needed}, ...
 * @param properties extra Debezium connector properties, passed through as they are
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
        Map<String, String> properties) {

    public static final String EMBEDDED = "embedded";

    public SourceConfig {
        password = password == null ? Secret.empty() : password;
        tables = tables == null ? List.of() : List.copyOf(tables);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public boolean embedded() {
        return EMBEDDED.equals(host);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Points this source at a running server (the embedded one, once it has a port). */
    public SourceConfig withServer(String newHost, int newPort, String newUser, Secret newPassword) {
        return new SourceConfig(name, kind, newHost, newPort, database, newUser, newPassword, tables,
                snapshotMode, properties);
    }

    /** The replication slot and publication name Lakeshift uses for this source. */
    public String slotName() {
        return "lakeshift_" + name.replace('-', '_');
    }
}
