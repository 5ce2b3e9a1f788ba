package io.lakeshift.lakehouse;

import io.lakeshift.core.config.CatalogConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Iceberg catalog properties for a {@link CatalogConfig}, computed once for every engine: the
 * Java API ({@link IcebergCatalogs}) and Spark ({@link #sparkConf}) see the same catalog.
 */
public final class CatalogProperties {

    /** Metadata Lakeshift writes into snapshot summaries and table properties. */
    public static final String SUMMARY_PREFIX = "lakeshift.";

    private CatalogProperties() {
    }

    /** Iceberg catalog properties; the password is in it, so never log the result. */
    public static Map<String, String> of(CatalogConfig catalog) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("type", catalog.type());
        props.put("warehouse", catalog.warehouse());
        if (catalog.uri() != null && !catalog.uri().isBlank() && !"hadoop".equals(catalog.type())) {
            props.put("uri", catalog.uri());
        }
        if ("jdbc".equals(catalog.type())) {
            // V1 schema: the catalog database can also hold views.
            props.put("jdbc.schema-version", "V1");
            if (catalog.username() != null && !catalog.username().isBlank()) {
                props.put("jdbc.user", catalog.username());
            }
            if (!catalog.password().isEmpty()) {
                props.put("jdbc.password", catalog.password().reveal());
            }
        } else if ("rest".equals(catalog.type()) && !catalog.password().isEmpty()) {
            props.put("token", catalog.password().reveal());
        }
        props.putAll(catalog.properties());
        return props;
    }

    /** Spark settings that register the catalog under its name, as an Iceberg SparkCatalog. */
    public static Map<String, String> sparkConf(CatalogConfig catalog) {
        String prefix = "spark.sql.catalog." + catalog.name();
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
        of(catalog).forEach((k, v) -> conf.put(prefix + "." + k, v));
        return conf;
    }
}
