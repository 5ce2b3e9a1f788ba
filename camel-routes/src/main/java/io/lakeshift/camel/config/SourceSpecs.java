package io.lakeshift.camel.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.lakeshift.camel.kafka.SourceTable;
import io.lakeshift.camel.record.ColumnSpec;
import io.lakeshift.camel.record.RecordFormat;
import io.lakeshift.camel.record.RecordLayout;
import io.lakeshift.camel.record.RecordSchema;
import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.jdbc.SourceConnections;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.json.Json;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Binds the {@code settings} of every file, jdbc and jms source into its typed settings and checks
 * them; reports every problem at once, each with its key ({@code sources[2].settings.delimiter}).
 */
public final class SourceSpecs {

    private static final Pattern QUALIFIED = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*");
    private static final int DEFAULT_MAX_RECORD_CHARS = 1024 * 1024;
    private static final Set<LogicalType.Kind> TEMPORAL = Set.of(LogicalType.Kind.DATE, LogicalType.Kind.TIME,
            LogicalType.Kind.TIMESTAMP, LogicalType.Kind.TIMESTAMPTZ);

    private static final ObjectMapper MAPPER = Json.mapper();

    private final List<String> problems = new ArrayList<>();

    private SourceSpecs() {
    }

    /**
     * The non-CDC sources of a configuration, validated.
     *
     * @throws ConfigException listing every problem with its key
     */
    public static List<SourceSpec> of(LakeshiftConfig config) {
        SourceSpecs v = new SourceSpecs();
        List<SourceSpec> specs = new ArrayList<>();
        for (int i = 0; i < config.sources().size(); i++) {
            SourceConfig source = config.sources().get(i);
            if (source.cdc()) {
                continue;
            }
            SourceSpec spec = v.check("sources[" + i + "]", source, config.kafka().topicPrefix());
            if (spec != null) {
                specs.add(spec);
            }
        }
        if (!v.problems.isEmpty()) {
            throw new ConfigException(v.problems);
        }
        return List.copyOf(specs);
    }

    /**
     * One non-CDC source of a configuration, validated as {@link #of(LakeshiftConfig)} validates it.
     *
     * @throws ConfigException listing every problem of the source with its key
     * @throws IllegalArgumentException when the source is captured by CDC
     */
    public static SourceSpec of(LakeshiftConfig config, SourceConfig source) {
        if (source.cdc()) {
            throw new IllegalArgumentException("source '" + source.name() + "' is a " + source.kind()
                    + " source captured by CDC, not run by Camel routes");
        }
        int index = config.sources().indexOf(source);
        String key = index >= 0 ? "sources[" + index + "]" : "source '" + source.name() + "'";
        SourceSpecs v = new SourceSpecs();
        SourceSpec spec = v.check(key, source, config.kafka().topicPrefix());
        if (!v.problems.isEmpty()) {
            throw new ConfigException(v.problems);
        }
        return spec;
    }

    private SourceSpec check(String key, SourceConfig source, String kafkaTopicPrefix) {
        int before = problems.size();
        String qualified = null;
        if (source.tables().size() != 1 || !QUALIFIED.matcher(source.tables().get(0)).matches()) {
            problems.add(key + ".tables: a " + source.kind() + " source feeds exactly one table, written schema.table"
                    + " (it names the topic <prefix>.<source>.<schema>.<table>), got " + source.tables());
        } else {
            qualified = source.tables().get(0);
        }
        String settingsKey = key + ".settings";
        SourceSpec spec = switch (source.kind()) {
            case "file" -> {
                FileSettings s = bind(source.settings(), FileSettings.class, settingsKey);
                if (s == null || qualified == null) {
                    yield null;
                }
                RecordLayout layout = checkFile(settingsKey, source, s);
                yield new SourceSpec.File(source, SourceTable.of("file", source.name(), null,
                        source.topicPrefixOr(kafkaTopicPrefix), qualified), s, layout);
            }
            case "jms" -> {
                JmsSettings s = bind(source.settings(), JmsSettings.class, settingsKey);
                if (s == null || qualified == null) {
                    yield null;
                }
                RecordLayout layout = checkJms(settingsKey, s);
                yield new SourceSpec.Jms(source, SourceTable.of("jms", source.name(), null,
                        source.topicPrefixOr(kafkaTopicPrefix), qualified), s, layout);
            }
            case "jdbc" -> {
                JdbcSettings s = bind(source.settings(), JdbcSettings.class, settingsKey);
                if (s == null || qualified == null) {
                    yield null;
                }
                String url = checkJdbc(key, settingsKey, source, s);
                require(url == null || source.tls() == null || SourceConnections.supportsTls(url), key + ".tls",
                        "Lakeshift sets TLS on jdbc:postgresql: and jdbc:mysql: URLs only; put the driver's own TLS settings in "
                                + settingsKey + ".url instead");
                yield new SourceSpec.Jdbc(source, SourceTable.of("jdbc", source.name(), source.database(),
                        source.topicPrefixOr(kafkaTopicPrefix), qualified), s, url);
            }
            default -> {
                problems.add(key + ".kind: '" + source.kind() + "' is not run by Camel routes");
                yield null;
            }
        };
        return problems.size() == before ? spec : null;
    }

    private RecordLayout checkFile(String key, SourceConfig source, FileSettings s) {
        require(s.directory() != null && !s.directory().isBlank(), key + ".directory", "is required");
        checkSftp(key, source, s);
        require(FileSettings.PICKUP_STABLE.equals(s.pickup()) || FileSettings.PICKUP_DONE_MARKER.equals(s.pickup()),
                key + ".pickup", "must be " + FileSettings.PICKUP_STABLE + " or " + FileSettings.PICKUP_DONE_MARKER);
        require(s.stableForMs() >= 0, key + ".stableForMs", "must be 0 or more");
        require(s.pollIntervalMs() > 0, key + ".pollIntervalMs", "must be positive");
        require(s.batchSize() > 0, key + ".batchSize", "must be positive");
        require(!s.doneMarkerSuffix().isBlank(), key + ".doneMarkerSuffix", "must not be empty");
        require(!s.doneDirectory().isBlank(), key + ".doneDirectory", "must not be empty");
        require(!s.errorDirectory().isBlank(), key + ".errorDirectory", "must not be empty");
        checkRegex(key + ".include", s.include());
        checkRegex(key + ".exclude", s.exclude());
        return checkRecords(key, s.records());
    }

    private void checkSftp(String key, SourceConfig source, FileSettings s) {
        if (!SftpLocation.isSftp(s.directory())) {
            for (String[] sftpOnly : new String[][] {{"privateKeyFile", s.privateKeyFile()}, {"hostKey", s.hostKey()},
                    {"knownHostsFile", s.knownHostsFile()}}) {
                require(sftpOnly[1] == null, key + "." + sftpOnly[0], "applies to sftp:// directories only");
            }
            require(!s.insecureAcceptAnyHostKey(), key + ".insecureAcceptAnyHostKey", "applies to sftp:// directories only");
            return;
        }
        try {
            SftpLocation.parse(s.directory());
        } catch (IllegalArgumentException e) {
            problems.add(key + ".directory: " + e.getMessage());
        }
        require(source.username() != null && !source.username().isBlank(), key.replace(".settings", "") + ".username",
                "is required for an sftp:// directory");
        require(!source.password().isEmpty() || s.privateKeyFile() != null, key.replace(".settings", "") + ".password",
                "or settings.privateKeyFile is required for an sftp:// directory");
        if (s.privateKeyFile() != null) {
            require(Files.isReadable(Path.of(s.privateKeyFile())), key + ".privateKeyFile", "'" + s.privateKeyFile() + "' is not a readable file");
        }
        int hostKeyChoices = (s.hostKey() != null ? 1 : 0) + (s.knownHostsFile() != null ? 1 : 0) + (s.insecureAcceptAnyHostKey() ? 1 : 0);
        require(hostKeyChoices <= 1, key + ".hostKey", "set at most one of hostKey, knownHostsFile and insecureAcceptAnyHostKey");
        if (s.hostKey() != null) {
            require(KnownHosts.isPublicKeyLine(s.hostKey()), key + ".hostKey",
                    "must be the server's public key as ssh-keyscan prints it (ssh-ed25519 AAAA...)");
        } else if (!s.insecureAcceptAnyHostKey()) {
            Path knownHosts = KnownHosts.file(s.knownHostsFile());
            require(Files.isReadable(knownHosts), key + ".knownHostsFile", "'" + knownHosts + "' is not a readable file;"
                    + " pin the server's key with hostKey, name a known_hosts file, or (tests only) set insecureAcceptAnyHostKey: true");
        }
    }

    private RecordLayout checkJms(String key, JmsSettings s) {
        require(s.brokerUrl() != null && !s.brokerUrl().isBlank(), key + ".brokerUrl", "is required (tcp://host:61616)");
        require(s.queue() != null && !s.queue().isBlank(), key + ".queue", "is required");
        require(s.concurrentConsumers() > 0, key + ".concurrentConsumers", "must be positive");
        return checkRecords(key, s.records());
    }

    private String checkJdbc(String key, String settingsKey, SourceConfig source, JdbcSettings s) {
        require(s.watermarkColumn() != null && !s.watermarkColumn().isBlank(), settingsKey + ".watermarkColumn",
                "is required (an updated_at timestamp or an increasing id)");
        require(s.batchSize() > 0, settingsKey + ".batchSize", "must be positive");
        require(s.pollIntervalMs() > 0, settingsKey + ".pollIntervalMs", "must be positive");
        require(s.sourceSchema() == null || !s.sourceSchema().isEmpty(), settingsKey + ".sourceSchema", "must not be empty");
        require(s.sourceTable() == null || !s.sourceTable().isEmpty(), settingsKey + ".sourceTable", "must not be empty");
        if (s.url() != null && !s.url().isBlank()) {
            require(s.url().startsWith("jdbc:"), settingsKey + ".url", "must be a jdbc: URL");
            return s.url();
        }
        boolean server = source.host() != null && !source.host().isBlank() && source.database() != null;
        require(server, settingsKey + ".url", "is required (or the source's host, port and database for PostgreSQL)");
        return server ? source.jdbcUrl() : null;
    }

    private RecordLayout checkRecords(String key, RecordSettings s) {
        RecordFormat format = RecordFormat.parse(s.format());
        require(format != null, key + ".format", "must be one of " + RecordFormat.configNames());
        Charset charset = charset(key + ".charset", s.charset());
        char delimiter = oneChar(key + ".delimiter", s.delimiter(), ',', false);
        char quote = oneChar(key + ".quote", s.quote(), '"', true);
        require(delimiter != quote, key + ".quote", "must differ from the delimiter");
        int maxRecordChars = s.maxRecordChars() == null ? DEFAULT_MAX_RECORD_CHARS : s.maxRecordChars();
        require(maxRecordChars > 0, key + ".maxRecordChars", "must be positive");

        List<ColumnSpec> columns = columns(key + ".columns", s.columns(), format);
        Set<String> names = new HashSet<>();
        columns.forEach(c -> names.add(c.name()));
        boolean declaredByHeader = format == RecordFormat.CSV && s.header();
        require(!columns.isEmpty() || declaredByHeader, key + ".columns",
                "must be declared for " + (format == null ? "this format" : format.configName())
                        + (format == RecordFormat.CSV ? " without a header" : ""));
        List<String> key2 = s.key() == null ? List.of() : List.copyOf(s.key());
        for (String k : key2) {
            require(columns.isEmpty() || names.contains(k), key + ".key", "'" + k + "' is not a declared column");
            require(!k.equals(s.operationColumn()), key + ".key", "'" + k + "' is the operation column");
        }
        String operationColumn = s.operationColumn() == null || s.operationColumn().isBlank() ? null : s.operationColumn();
        if (operationColumn != null && (format == RecordFormat.FIXED_WIDTH || (format == RecordFormat.CSV && !s.header()))) {
            require(names.contains(operationColumn), key + ".operationColumn",
                    "'" + operationColumn + "' must be one of the declared columns (its position comes from there)");
        }
        Map<String, Op> codes = operationCodes(key + ".operationCodes", s.operationCodes());
        if (format == null || charset == null) {
            return null;
        }
        return new RecordLayout(format, charset, s.header(), delimiter, quote, s.nullMarker() == null ? "" : s.nullMarker(),
                columns, key2, operationColumn, codes, maxRecordChars);
    }

    private List<ColumnSpec> columns(String key, List<ColumnSettings> declared, RecordFormat format) {
        List<ColumnSpec> out = new ArrayList<>();
        if (declared == null) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < declared.size(); i++) {
            ColumnSettings c = declared.get(i);
            String k = key + "[" + i + "]";
            if (c == null || c.name() == null || c.name().isBlank()) {
                problems.add(k + ".name: is required");
                continue;
            }
            require(seen.add(c.name()), k + ".name", "'" + c.name() + "' is declared twice");
            LogicalType type = null;
            try {
                type = LogicalType.parse(c.type() == null ? "string" : c.type());
            } catch (IllegalArgumentException e) {
                problems.add(k + ".type: " + e.getMessage() + " (one of boolean, int16, int32, int64, float32, float64,"
                        + " decimal(p,s), string, json, uuid, binary, date, time, timestamp, timestamptz)");
            }
            int maxLength = c.maxLength() == null ? 0 : c.maxLength();
            require(maxLength >= 0, k + ".maxLength", "must be 0 or more");
            if (c.format() != null && type != null) {
                require(TEMPORAL.contains(type.kind()), k + ".format", "applies to date and time columns only");
                try {
                    DateTimeFormatter.ofPattern(c.format());
                } catch (IllegalArgumentException e) {
                    problems.add(k + ".format: not a valid pattern: " + e.getMessage());
                }
            }
            int offset = -1;
            int length = -1;
            if (format == RecordFormat.FIXED_WIDTH) {
                require(c.offset() != null && c.offset() >= 0, k + ".offset", "is required for fixed-width (0-based)");
                require(c.length() != null && c.length() > 0, k + ".length", "is required for fixed-width and positive");
                offset = c.offset() == null ? 0 : c.offset();
                length = c.length() == null ? 1 : c.length();
            } else {
                require(c.offset() == null && c.length() == null, k, "offset and length apply to fixed-width only");
            }
            if (type != null) {
                out.add(new ColumnSpec(c.name(), type, Boolean.TRUE.equals(c.required()), maxLength, c.format(), offset, length));
            }
        }
        return out;
    }

    private Map<String, Op> operationCodes(String key, Map<String, String> declared) {
        if (declared == null || declared.isEmpty()) {
            return RecordSchema.defaultOperationCodes();
        }
        Map<String, Op> codes = new HashMap<>();
        declared.forEach((code, op) -> {
            try {
                Op parsed = Op.fromCode(op);
                require(parsed != Op.READ, key + "." + code, "must map to c, u or d");
                codes.put(code, parsed);
            } catch (IllegalArgumentException e) {
                problems.add(key + "." + code + ": must map to c, u or d, not '" + op + "'");
            }
        });
        return codes;
    }

    private Charset charset(String key, String name) {
        try {
            return Charset.forName(name == null ? "UTF-8" : name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            problems.add(key + ": unknown charset '" + name + "'");
            return null;
        }
    }

    private char oneChar(String key, String value, char defaultValue, boolean emptyMeansNone) {
        if (value == null) {
            return defaultValue;
        }
        if (value.isEmpty() && emptyMeansNone) {
            return 0;
        }
        String v = "tab".equalsIgnoreCase(value) || "\\t".equals(value) ? "\t" : value;
        if (v.length() != 1 || v.charAt(0) == '\n' || v.charAt(0) == '\r') {
            problems.add(key + ": must be one character" + (emptyMeansNone ? " (or empty for none)" : "") + ", got '" + value + "'");
            return defaultValue;
        }
        return v.charAt(0);
    }

    private void checkRegex(String key, String regex) {
        if (regex != null) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                problems.add(key + ": not a valid regular expression: " + e.getDescription());
            }
        }
    }

    private <T> T bind(Map<String, Object> settings, Class<T> type, String key) {
        try {
            return MAPPER.convertValue(settings, type);
        } catch (IllegalArgumentException e) {
            problems.add(describe(key, e));
            return null;
        }
    }

    private static String describe(String key, IllegalArgumentException e) {
        if (e.getCause() instanceof UnrecognizedPropertyException u) {
            return path(key, u) + ": unknown key (known here: " + u.getKnownPropertyIds() + ")";
        }
        if (e.getCause() instanceof JsonMappingException m) {
            return path(key, m) + ": " + m.getOriginalMessage().lines().findFirst().orElse("invalid value");
        }
        return key + ": " + e.getMessage();
    }

    private static String path(String key, JsonMappingException e) {
        StringBuilder sb = new StringBuilder(key);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private void require(boolean ok, String key, String reason) {
        if (!ok) {
            problems.add(key + ": " + reason);
        }
    }
}
