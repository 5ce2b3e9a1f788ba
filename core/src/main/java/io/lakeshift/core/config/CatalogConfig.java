package io.lakeshift.core.config;

import java.util.Map;

/**
 * The Iceberg catalog every job and reader uses.
 *
 * @param name catalog name in SQL ({@code SELECT * FROM <name>.<namespace>.<table>})
 * @param type {@code jdbc}, {@code hadoop} or {@code rest}
 * @param uri JDBC URL of the catalog database (jdbc) or the REST endpoint (rest); unused for hadoop
 * @param warehouse warehouse location: a local path, hdfs:// or s3a://
 * @param username catalog database or REST user, if any
 * @param password catalog database password or REST token (literal, env:NAME or file:PATH)
 * @param properties extra Iceberg catalog properties, passed through as they are
 * @param lowerCaseNames whether lake namespaces, tables and columns are the source's names in lower
 *     case, so that every engine finds them (Trino folds names to lower case); false keeps the source's case
 */
public record CatalogConfig(
        String name,
        String type,
        String uri,
        String warehouse,
        String username,
        Secret password,
        Map<String, String> properties,
        boolean lowerCaseNames) {

    public CatalogConfig {
        password = password == null ? Secret.empty() : password;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** A catalog with lower-case lake names, the default. */
    public CatalogConfig(String name, String type, String uri, String warehouse, String username, Secret password,
            Map<String, String> properties) {
        this(name, type, uri, warehouse, username, password, properties, true);
    }

    /** The password and properties whose keys look secret are masked. */
    @Override
    public String toString() {
        return "CatalogConfig[name=" + name + ", type=" + type + ", uri=" + uri + ", warehouse=" + warehouse + ", username="
                + username + ", password=" + password + ", properties=" + Secret.masked(properties) + ", lowerCaseNames="
                + lowerCaseNames + "]";
    }
}
