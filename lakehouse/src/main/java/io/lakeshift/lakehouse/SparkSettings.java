package io.lakeshift.lakehouse;

import io.lakeshift.core.config.LakeshiftConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spark settings every Lakeshift job starts with: the master (unless spark-submit already set
 * one), the Iceberg extensions, the catalog, quiet local defaults, then the operator's
 * {@code spark.conf} pass-through, ready for {@code SparkSession.builder().config(map)}. Plain
 * strings, so this module needs no Spark.
 */
public final class SparkSettings {

    private SparkSettings() {
    }

    public static Map<String, Object> of(LakeshiftConfig config, String appName) {
        Map<String, Object> conf = new LinkedHashMap<>();
        String submitted = System.getProperty("spark.master");
        if (submitted == null) {
            conf.put("spark.master", config.spark().master());
        }
        String master = submitted != null ? submitted : config.spark().master();
        conf.put("spark.app.name", appName);
        conf.put("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
        conf.put("spark.sql.shuffle.partitions", Integer.toString(config.spark().shufflePartitions()));
        conf.put("spark.ui.showConsoleProgress", "false");
        conf.put("spark.sql.adaptive.enabled", "true");
        if (master == null || master.startsWith("local")) {
            // One JVM on this machine: no UI port to open, and the driver on loopback whatever the
            // host name resolves to. On a cluster the executors must reach the driver at its own
            // address, and the UI is how a team watches its jobs: both are left to Spark.
            conf.put("spark.ui.enabled", "false");
            conf.put("spark.driver.bindAddress", "127.0.0.1");
            conf.put("spark.driver.host", "127.0.0.1");
        }
        conf.put("spark.sql.streaming.stopTimeout", "30000");
        // Spark keys its generated-code cache by the task's class loader. With artifact isolation
        // on (Spark 4's default) every session clone, so every streaming query run, gets a fresh
        // executor class loader and Janino compiles the same typing code again on each scheduled
        // run. Lakeshift adds no session artifacts, so one shared loader loses nothing.
        conf.put("spark.sql.artifact.isolation.enabled", "false");
        // Three pipelines plus the mart generate ~140 distinct classes; the default cache of 100
        // evicts some of them between runs of one JVM.
        conf.put("spark.sql.codegen.cache.maxEntries", "1000");
        conf.putAll(CatalogProperties.sparkConf(config.catalog()));
        conf.putAll(config.spark().conf());
        // Spark's own pattern (secret|password|token|access.key) misses a REST catalog's credential,
        // a JAAS configuration and other keys: they would show in the UI, event logs and plans
        conf.putIfAbsent(REDACTION_REGEX, REDACTION);
        return conf;
    }

    /** Spark's setting of which settings' values it redacts in its UI, logs and event logs. */
    public static final String REDACTION_REGEX = "spark.redaction.regex";
    /** Spark's default pattern extended to every key Lakeshift masks (see {@code Secret.SECRET_KEY}). */
    public static final String REDACTION = "(?i)secret|password|passwd|token|credential|sasl[.]jaas[.]config"
            + "|access[._-]?key|api[._-]?key|private[._-]?key|(^|[._-])key($|[._-])";
}
