package io.lakeshift.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A password or token. Its {@code toString} and JSON form are masked, so a config printed to a log
 * or a status page never shows it; only {@link #reveal()} gives the value, at the point of use.
 *
 * <p>In YAML a secret is written as a literal, as {@code env:NAME} (read from the environment
 * variable NAME) or as {@code file:/path} (the file's content, trailing newline removed).
 */
public final class Secret {

    public static final String MASK = "******";
    /**
     * Keys of pass-through settings whose values are secret: passwords, tokens, credentials, JAAS
     * configurations (they embed passwords), keys ({@code fs.s3a.access.key}, {@code ssl.key.password},
     * {@code apiKey}; a {@code key} segment, but not {@code keystore}, which names a file). Found
     * anywhere in the key, case ignored.
     */
    public static final Pattern SECRET_KEY = Pattern.compile("(?i)password|passwd|secret|token|credential"
            + "|sasl\\.jaas\\.config|api[._-]?key|access[._-]?key|private[._-]?key|(^|[._-])key($|[._-])");
    private static final Secret EMPTY = new Secret("", "empty");

    private final String value;
    private final String origin;

    private Secret(String value, String origin) {
        this.value = value;
        this.origin = origin;
    }

    public static Secret empty() {
        return EMPTY;
    }

    public static Secret of(String literal) {
        return new Secret(Objects.requireNonNull(literal, "literal"), "literal");
    }

    /** Parses a YAML value: a literal, {@code env:NAME} or {@code file:PATH}. */
    @JsonCreator
    public static Secret parse(String spec) {
        return parse(spec, System.getenv());
    }

    static Secret parse(String spec, Map<String, String> environment) {
        if (spec == null || spec.isEmpty()) {
            return EMPTY;
        }
        if (spec.startsWith("env:")) {
            String name = spec.substring(4);
            String value = environment.get(name);
            if (value == null) {
                throw new IllegalArgumentException("environment variable " + name + " is not set");
            }
            return new Secret(value, "environment variable " + name);
        }
        if (spec.startsWith("file:")) {
            Path path = Path.of(spec.substring(5));
            try {
                return new Secret(Files.readString(path, StandardCharsets.UTF_8).strip(), "file " + path);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read secret file " + path + ": " + e.getClass().getSimpleName());
            }
        }
        return new Secret(spec, "literal");
    }

    /** Whether a pass-through setting's key names a secret ({@link #SECRET_KEY}). */
    public static boolean looksSecret(String key) {
        return key != null && SECRET_KEY.matcher(key).find();
    }

    /** A copy of pass-through settings for a log or a printout: values of secret-looking keys masked, sorted by key. */
    public static Map<String, String> masked(Map<String, String> settings) {
        Map<String, String> masked = new TreeMap<>();
        settings.forEach((k, v) -> masked.put(k, looksSecret(k) && v != null && !v.isEmpty() ? MASK : v));
        return masked;
    }

    /**
     * The value of a pass-through setting ({@code kafka.client}, {@code spark.conf}, ...):
     * {@code env:NAME} reads the environment variable; {@code file:PATH} reads the file when the key
     * {@linkplain #looksSecret looks secret} (elsewhere {@code file:} is a URI scheme, as in
     * {@code spark.eventLog.dir: file:/tmp/events}, and stays as it is); anything else is the literal.
     *
     * @throws IllegalArgumentException naming the variable or file (never the value) when it cannot be read
     */
    public static String resolveSetting(String key, String value) {
        return resolveSetting(key, value, System.getenv());
    }

    static String resolveSetting(String key, String value, Map<String, String> environment) {
        if (value == null) {
            return null;
        }
        if (value.startsWith("env:") || (value.startsWith("file:") && looksSecret(key))) {
            return parse(value, environment).reveal();
        }
        return value;
    }

    /** Whether a configured value is a reference ({@code env:NAME}, {@code file:PATH}) rather than the secret itself. */
    public static boolean isReference(String spec) {
        return spec != null && (spec.startsWith("env:") || spec.startsWith("file:"));
    }

    /** The secret itself: pass it to the client that needs it, never to a log. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Where the value came from, safe to log ("environment variable PGPASSWORD"). */
    public String origin() {
        return origin;
    }

    @JsonValue
    @Override
    public String toString() {
        return isEmpty() ? "" : MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && value.equals(s.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
