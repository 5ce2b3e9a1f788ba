package io.lakeshift.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A password or token. Its {@code toString} and JSON form are masked, so a config printed to a log
 * or a status page never shows it; only {@link #reveal()} gives the value, at the point of use.
 *
 * <p>In YAML a secret is written as a literal, as {@code env:NAME} (read from the environment
 * variable NAME) or as {@code file:/path} (the file's content, trailing newline removed).
 */
public final class Secret {

    public static final String MASK = "******";
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
