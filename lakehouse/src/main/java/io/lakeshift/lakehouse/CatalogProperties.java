package io.lakeshift.lakehouse;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.Secret;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Iceberg catalog properties for a {@link CatalogConfig}, computed once for every engine: the
 * Java API ({@link IcebergCatalogs}) and Spark ({@link #sparkConf}) see the same catalog.
 *
 * <ul>
 *   <li>{@code jdbc}: {@code uri} is the catalog database's JDBC URL (PostgreSQL, SQLite, ...);
 *       {@code username}/{@code password} become {@code jdbc.user}/{@code jdbc.password}.
 *   <li>{@code hadoop}: metadata files only, under {@code warehouse}; no {@code uri}.
 *   <li>{@code rest}: {@code uri} is the REST endpoint; a {@code password} alone is a bearer
 *       {@code token}, {@code username} plus {@code password} an OAuth2 client {@code credential}
 *       ({@code client_id:client_secret}).
 * </ul>
 *
 * Data and metadata files go through the Hadoop client ({@code HadoopFileIO}) unless
 * {@code properties} names another {@code io-impl}, so a warehouse can be a local path,
 * {@code hdfs://} or {@code s3a://} (with hadoop-aws on the classpath). Properties named
 * {@code hadoop.*} are Hadoop settings for this catalog only (for example
 * {@code hadoop.fs.s3a.endpoint}); Spark and the Java API both apply them.
 */
public final class CatalogProperties {

    /** Metadata Lakeshift writes into snapshot summaries and table properties. */
    public static final String SUMMARY_PREFIX = "lakeshift.";
    /** Prefix of per-catalog Hadoop settings in {@link CatalogConfig#properties()}. */
    public static final String HADOOP_PREFIX = "hadoop.";
    /** The Hadoop client's FileIO, the default for every catalog type. */
    public static final String HADOOP_FILE_IO = "org.apache.iceberg.hadoop.HadoopFileIO";

    private static final Pattern SECRET_KEY = Pattern.compile(
            ".*(password|secret|token|credential|access[.-]key|session[.-]key|sas|private[.-]key|signature).*");
    private static final Pattern SECRET_IN_URI = Pattern.compile(
            "(?i)((?:password|pwd|secret|token|access_token|sig)=)[^&;]*|(//[^/:@]+:)[^@/]*(@)");

    private CatalogProperties() {
    }

    /**
     * Iceberg catalog properties; credentials are in it, so never log the result (see
     * {@link #redacted}). A catalog asking for the embedded catalog database gets it first
     * ({@link CatalogRuntime#resolve}).
     */
    public static Map<String, String> of(CatalogConfig config) {
        CatalogConfig catalog = CatalogRuntime.resolve(config);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("type", catalog.type());
        if (notBlank(catalog.warehouse())) {
            props.put("warehouse", catalog.warehouse());
        }
        if (notBlank(catalog.uri()) && !"hadoop".equals(catalog.type())) {
            props.put("uri", catalog.uri());
        }
        props.put("io-impl", HADOOP_FILE_IO);
        Secret password = catalog.password();
        switch (catalog.type()) {
            case "jdbc" -> {
                // V1 schema: the catalog database can also hold views; Trino and PyIceberg read it.
                props.put("jdbc.schema-version", "V1");
                if (notBlank(catalog.username())) {
                    props.put("jdbc.user", catalog.username());
                }
                if (!password.isEmpty()) {
                    props.put("jdbc.password", password.reveal());
                }
            }
            case "rest" -> {
                if (!password.isEmpty() && notBlank(catalog.username())) {
                    props.put("credential", catalog.username() + ":" + password.reveal());
                } else if (!password.isEmpty()) {
                    props.put("token", password.reveal());
                }
            }
            default -> {
                // hadoop: the warehouse is the whole catalog
            }
        }
        props.putAll(catalog.properties());
        return props;
    }

    /** Spark settings that register the catalog under its name, as an Iceberg SparkCatalog. */
    public static Map<String, String> sparkConf(CatalogConfig catalog) {
        String prefix = "spark.sql.catalog." + catalog.name();
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
        // Lakeshift's tables are committed to by other sessions and by the Java API all the time
        // (apply jobs, reloads, maintenance, migrations): a cached table would let a query read a
        // snapshot up to 30 s old. Each statement loads the table's current metadata instead.
        conf.put(prefix + ".cache-enabled", "false");
        of(catalog).forEach((k, v) -> conf.put(prefix + "." + k, v));
        return conf;
    }

    /** The catalog's {@code hadoop.*} properties without the prefix, for a Hadoop Configuration. */
    public static Map<String, String> hadoopConf(CatalogConfig catalog) {
        Map<String, String> conf = new LinkedHashMap<>();
        catalog.properties().forEach((k, v) -> {
            if (k.startsWith(HADOOP_PREFIX)) {
                conf.put(k.substring(HADOOP_PREFIX.length()), v);
            }
        });
        return conf;
    }

    /** The same properties with every credential masked; safe to log or print. */
    public static Map<String, String> redacted(Map<String, String> properties) {
        Map<String, String> safe = new LinkedHashMap<>();
        properties.forEach((k, v) -> safe.put(k, isSecretKey(k) ? Secret.MASK : redactUri(v)));
        return safe;
    }

    /** Whether a property key names a credential (password, token, secret key, ...). */
    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /** A URI with any embedded password or token masked ({@code user:pw@host}, {@code ?password=...}). */
    public static String redactUri(String uri) {
        if (uri == null) {
            return null;
        }
        return SECRET_IN_URI.matcher(uri).replaceAll(m -> m.group(1) != null
                ? java.util.regex.Matcher.quoteReplacement(m.group(1) + Secret.MASK)
                : java.util.regex.Matcher.quoteReplacement(m.group(2) + Secret.MASK + m.group(3)));
    }

    /** One line describing the catalog for logs and output: type, name, endpoint, warehouse; no credentials. */
    public static String describe(CatalogConfig catalog) {
        StringBuilder s = new StringBuilder().append(catalog.type()).append(" catalog '").append(catalog.name()).append('\'');
        if (notBlank(catalog.uri()) && !"hadoop".equals(catalog.type())) {
            s.append(" at ").append(redactUri(catalog.uri()));
        }
        if (notBlank(catalog.warehouse())) {
            s.append(", warehouse ").append(redactUri(catalog.warehouse()));
        }
        return s.toString();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
