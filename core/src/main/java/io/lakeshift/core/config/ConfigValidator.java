package io.lakeshift.core.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a bound configuration and reports every problem at once, each with its key. */
final class ConfigValidator {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    /** Names that become file and folder names (status, job configs, migration state): no '/', no '..'. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}");
    private static final Pattern QUALIFIED = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*");
    private static final List<String> CATALOG_TYPES = List.of("jdbc", "hadoop", "rest");
    private static final List<String> STAGES = List.of("BATCH", "SHADOW", "INCREMENTAL", "STREAMING");

    private final List<String> problems = new ArrayList<>();

    static void validate(LakeshiftConfig config) {
        ConfigValidator v = new ConfigValidator();
        v.check(config);
        if (!v.problems.isEmpty()) {
            throw new ConfigException(v.problems);
        }
    }

    private void check(LakeshiftConfig c) {
        require(c.dataDir() != null, "dataDir", "is required");
        checkKafka(c.kafka());
        for (int i = 0; i < c.sources().size(); i++) {
            checkSource("sources[" + i + "]", c.sources().get(i));
        }
        Set<String> names = new HashSet<>();
        for (SourceConfig s : c.sources()) {
            require(s.name() == null || names.add(s.name()), "sources", "source name '" + s.name() + "' is used twice");
        }
        checkCatalog(c.catalog());
        checkSpark(c.spark());
        Set<String> pipelineNames = new HashSet<>();
        java.util.Map<String, PipelineConfig> targets = new java.util.HashMap<>();
        for (PipelineConfig p : c.pipelines()) {
            PipelineConfig other = p.target() == null ? null : targets.putIfAbsent(p.target(), p);
            require(other == null, "pipelines", other == null ? "" : "pipelines '" + other.name() + "' (source '" + other.source()
                    + "', table " + other.table() + ") and '" + p.name() + "' (source '" + p.source() + "', table " + p.table()
                    + ") both write lake table " + p.target() + (c.catalog() != null && c.catalog().lowerCaseNames()
                            ? " (lake names are lower case; set a distinct 'target' or catalog.lowerCaseNames: false)" : ""));
        }
        for (int i = 0; i < c.pipelines().size(); i++) {
            PipelineConfig p = c.pipelines().get(i);
            String key = "pipelines[" + i + "]";
            require(notBlank(p.name()), key + ".name", "is required");
            require(!notBlank(p.name()) || safeName(p.name()), key + ".name", "'" + p.name()
                    + "' must be letters, digits, '_', '.' or '-', not start with '.' and hold no '..' (it names files and DAGs)");
            require(p.name() == null || pipelineNames.add(p.name()), key + ".name", "'" + p.name() + "' is used twice");
            require(p.source() != null && c.source(p.source()).isPresent(), key + ".source",
                    "'" + p.source() + "' is not a declared source");
            require(p.table() != null && QUALIFIED.matcher(p.table()).matches(), key + ".table",
                    "must be schema.table, got '" + p.table() + "'");
            require(p.target() != null && QUALIFIED.matcher(p.target()).matches(), key + ".target",
                    "must be namespace.table, got '" + p.target() + "'");
            require(p.dag() == null || p.dag().isBlank() || safeName(p.dag()), key + ".dag", "'" + p.dag()
                    + "' must be letters, digits, '_', '.' or '-', not start with '.' and hold no '..' (it names the DAG file)");
            require(p.stage() != null && STAGES.contains(p.stage()), key + ".stage", "must be one of " + STAGES);
            require(List.of(PipelineConfig.MERGE_ON_READ, PipelineConfig.COPY_ON_WRITE).contains(p.writeMode()),
                    key + ".writeMode", "must be merge-on-read or copy-on-write");
        }
        if (c.airflow() != null && c.airflow().configured()) {
            require(List.of("v1", "v2").contains(c.airflow().api()), "airflow.api", "must be v1 or v2");
            require(c.airflow().baseUrl().startsWith("http"), "airflow.baseUrl", "must be an http(s) URL");
            require(c.airflow().timeoutMs() > 0, "airflow.timeoutMs", "must be positive");
            require(c.airflow().maxRetries() >= 0, "airflow.maxRetries", "must be 0 or more");
            require(!c.airflow().baseUrl().startsWith("http:") || !c.airflow().hasCredentials() || c.airflow().allowInsecureHttp(),
                    "airflow.allowInsecureHttp", "airflow.baseUrl is plain http and would send the password or token"
                            + " unencrypted: use an https:// URL, or set airflow.allowInsecureHttp: true on a trusted network");
            require(c.airflow().caFile() == null || java.nio.file.Files.isReadable(java.nio.file.Path.of(c.airflow().caFile())),
                    "airflow.caFile", "'" + c.airflow().caFile() + "' is not a readable file (a PEM bundle of CA certificates)");
        }
        if (c.metrics() != null) {
            require(c.metrics().prometheusPort() >= 0 && c.metrics().prometheusPort() < 65536, "metrics.prometheusPort",
                    "must be 0 (off) or a port number");
            // status readers call a report older than 30 s stale (the process is taken for gone)
            require(c.metrics().statusIntervalMs() > 0 && c.metrics().statusIntervalMs() <= 10_000, "metrics.statusIntervalMs",
                    "must be from 1 to 10000 (ms), got " + c.metrics().statusIntervalMs());
            require(c.metrics().bindAddress().matches("[A-Za-z0-9.:_\\[\\]%-]+"), "metrics.bindAddress",
                    "must be an address or host name (127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
        }
        require(c.console().port() >= 0 && c.console().port() < 65536, "console.port",
                "must be a port number, or 0 for any free port");
        require(c.console().bindAddress().matches("[A-Za-z0-9.:_\\[\\]%-]+"), "console.bindAddress",
                "must be an address or host name (127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
        checkIngestion(c.ingestion());
        if (c.demo() != null) {
            require(c.demo().durationSeconds() >= 0, "demo.durationSeconds", "must be 0 or more");
            require(c.demo().changesPerSecond() > 0, "demo.changesPerSecond", "must be positive");
            require(c.demo().customers() > 0, "demo.customers", "must be positive");
            require(c.demo().orders() >= 0, "demo.orders", "must be 0 or more");
        }
    }

    private void checkKafka(KafkaConfig k) {
        if (k == null) {
            problems.add("kafka: is required");
            return;
        }
        require(notBlank(k.bootstrapServers()), "kafka.bootstrapServers", "is required (host:port,... or 'embedded')");
        require(k.topicPrefix() != null && k.topicPrefix().matches("[A-Za-z0-9._-]+"), "kafka.topicPrefix",
                "must be letters, digits, '.', '_' or '-'");
        require(k.partitions() > 0, "kafka.partitions", "must be positive");
        require(k.replicationFactor() > 0, "kafka.replicationFactor", "must be positive");
        require(k.retentionMs() == KafkaConfig.KEEP_FOREVER || k.retentionMs() > 0, "kafka.retentionMs",
                "must be -1 (keep records for good) or a positive number of milliseconds");
    }

    private void checkIngestion(IngestionConfig i) {
        require(i.retryMaxBackoffMs() > 0, "ingestion.retryMaxBackoffMs", "must be positive (milliseconds)");
        require(i.giveUpAfterMs() > 0, "ingestion.giveUpAfterMs", "must be positive (milliseconds)");
        require(i.giveUpAfterMs() <= 0 || i.retryMaxBackoffMs() <= i.giveUpAfterMs(), "ingestion.retryMaxBackoffMs",
                "must not be longer than ingestion.giveUpAfterMs (" + i.giveUpAfterMs() + ")");
    }

    private void checkSource(String key, SourceConfig s) {
        require(s.name() != null && NAME.matcher(s.name()).matches(), key + ".name",
                "must be lower-case letters, digits or '_', starting with a letter");
        require(s.kind() != null && SourceConfig.KINDS.contains(s.kind()), key + ".kind", "must be one of " + SourceConfig.KINDS);
        require(s.topicPrefix() == null || s.topicPrefix().matches("[A-Za-z0-9._-]*"), key + ".topicPrefix",
                "must be letters, digits, '.', '_' or '-'");
        checkTls(key + ".tls", s);
        if (s.kind() == null || !s.cdc()) {
            return; // non-CDC settings are validated by the module that runs the source
        }
        require(notBlank(s.host()), key + ".host", "is required (a host name or 'embedded')");
        require(s.embedded() || (s.port() > 0 && s.port() < 65536), key + ".port", "must be between 1 and 65535");
        require(notBlank(s.database()), key + ".database", "is required");
        require(notBlank(s.username()), key + ".username", "is required");
        require(!s.tables().isEmpty(), key + ".tables", "must list at least one schema.table");
        for (String t : s.tables()) {
            require(QUALIFIED.matcher(t).matches(), key + ".tables", "'" + t + "' is not schema.table");
        }
        require(notBlank(s.snapshotMode()), key + ".snapshotMode", "is required");
    }

    private void checkTls(String key, SourceConfig s) {
        SourceTls tls = s.tls();
        if (tls == null) {
            return;
        }
        require(s.kind() == null || s.cdc() || "jdbc".equals(s.kind()), key,
                "applies to database sources (postgres, mysql, mariadb, jdbc), not to a " + s.kind() + " source");
        require(tls.mode() != null && SourceTls.MODES.contains(tls.mode()), key + ".mode",
                (tls.mode() == null ? "is required" : "'" + tls.mode() + "' is not a mode") + "; one of " + SourceTls.MODES);
        if (tls.verifies()) {
            require(notBlank(tls.caFile()), key + ".caFile", "is required by mode " + tls.mode()
                    + " (a PEM bundle of the CA certificates that signed the server's certificate)");
        }
        if (notBlank(tls.caFile())) {
            java.nio.file.Path ca = java.nio.file.Path.of(tls.caFile());
            require(java.nio.file.Files.isRegularFile(ca) && java.nio.file.Files.isReadable(ca), key + ".caFile",
                    "'" + tls.caFile() + "' is not a readable file (a PEM bundle of CA certificates)");
        }
    }

    private void checkCatalog(CatalogConfig cat) {
        if (cat == null) {
            problems.add("catalog: is required");
            return;
        }
        require(cat.name() != null && NAME.matcher(cat.name()).matches(), "catalog.name",
                "must be lower-case letters, digits or '_'");
        require(cat.type() != null && CATALOG_TYPES.contains(cat.type()), "catalog.type", "must be one of " + CATALOG_TYPES);
        require(notBlank(cat.warehouse()), "catalog.warehouse", "is required");
        require(!"jdbc".equals(cat.type()) || (cat.uri() != null && (cat.uri().startsWith("jdbc:")
                || cat.uri().equals("embedded") || cat.uri().startsWith("embedded:"))), "catalog.uri",
                "must be 'embedded' (the embedded catalog database) or a jdbc: URL for a jdbc catalog");
        require(!"rest".equals(cat.type()) || (cat.uri() != null && cat.uri().startsWith("http")), "catalog.uri",
                "must be an http(s) URL for a rest catalog");
    }

    private void checkSpark(SparkConfig s) {
        if (s == null) {
            problems.add("spark: is required");
            return;
        }
        require(notBlank(s.master()), "spark.master", "is required (local[2], spark://..., yarn, k8s://...)");
        require(s.shufflePartitions() > 0, "spark.shufflePartitions", "must be positive");
        require(notBlank(s.checkpointDir()), "spark.checkpointDir", "is required");
        require(s.triggerIntervalMs() > 0, "spark.triggerIntervalMs", "must be positive");
        require(s.maxOffsetsPerTrigger() > 0, "spark.maxOffsetsPerTrigger", "must be positive");
    }

    private void require(boolean ok, String key, String reason) {
        if (!ok) {
            problems.add(key + ": " + reason);
        }
    }

    /** Letters, digits, '_', '.', '-'; no leading '.', no '..': safe as a file name and in generated code. */
    static boolean safeName(String name) {
        return SAFE_NAME.matcher(name).matches() && !name.contains("..");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
