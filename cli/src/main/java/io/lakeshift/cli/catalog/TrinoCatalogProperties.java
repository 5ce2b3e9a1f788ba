package io.lakeshift.cli.catalog;

import io.lakeshift.core.config.CatalogConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Trino Iceberg connector's settings for a Lakeshift catalog. Trino reads Lakeshift's JDBC catalog
 * (in PostgreSQL) and REST catalogs directly; a local warehouse needs Trino's native local file system
 * rooted at {@code /}, since metadata locations are absolute {@code file:} URIs.
 */
final class TrinoCatalogProperties {

    private TrinoCatalogProperties() {
    }

    static String of(CatalogConfig catalog, String passwordVariable) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("connector.name", "iceberg");
        switch (catalog.type()) {
            case "jdbc" -> {
                if (catalog.uri().startsWith("jdbc:sqlite:")) {
                    throw new IllegalArgumentException("catalog.uri is a SQLite file, which Trino cannot read; use"
                            + " catalog.uri 'embedded' (the default) or a PostgreSQL/MySQL catalog database");
                }
                p.put("iceberg.catalog.type", "jdbc");
                p.put("iceberg.jdbc-catalog.driver-class", driver(catalog.uri()));
                p.put("iceberg.jdbc-catalog.connection-url", catalog.uri());
                if (catalog.username() != null && !catalog.username().isBlank()) {
                    p.put("iceberg.jdbc-catalog.connection-user", catalog.username());
                }
                if (!catalog.password().isEmpty()) {
                    p.put("iceberg.jdbc-catalog.connection-password", "${ENV:" + passwordVariable + "}");
                }
                // Iceberg's JDBC catalog keys rows by catalog name: the one Lakeshift writes under.
                p.put("iceberg.jdbc-catalog.catalog-name", catalog.name());
                p.put("iceberg.jdbc-catalog.default-warehouse-dir", catalog.warehouse());
            }
            case "rest" -> {
                p.put("iceberg.catalog.type", "rest");
                p.put("iceberg.rest-catalog.uri", catalog.uri());
                p.put("iceberg.rest-catalog.warehouse", catalog.warehouse());
            }
            default -> throw new IllegalArgumentException("catalog.type " + catalog.type() + " has no Trino catalog Lakeshift"
                    + " can describe; Trino reads jdbc and rest catalogs");
        }
        String warehouse = catalog.warehouse().toLowerCase(Locale.ROOT);
        if (warehouse.startsWith("file:") || !warehouse.contains(":")) {
            p.put("fs.native-local.enabled", "true");
            p.put("local.location", "/");
        } else if (warehouse.startsWith("s3")) {
            p.put("fs.native-s3.enabled", "true");
        }
        StringBuilder sb = new StringBuilder("# Trino catalog for Lakeshift's lake '" + catalog.name()
                + "': save as etc/catalog/" + catalog.name() + ".properties\n");
        p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static String driver(String uri) {
        if (uri.startsWith("jdbc:postgresql:")) {
            return "org.postgresql.Driver";
        }
        if (uri.startsWith("jdbc:mysql:") || uri.startsWith("jdbc:mariadb:")) {
            return "com.mysql.cj.jdbc.Driver";
        }
        throw new IllegalArgumentException("catalog.uri " + uri + ": Trino's JDBC catalog reads PostgreSQL or MySQL");
    }
}
