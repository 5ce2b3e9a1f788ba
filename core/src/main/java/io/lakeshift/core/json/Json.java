package io.lakeshift.core.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The configured Jackson mappers every Lakeshift module uses, so JSON and YAML are read and
 * written the same way everywhere. Mappers are thread-safe and shared: never reconfigure one
 * (derive a reader or writer instead, e.g. {@code mapper().writerWithDefaultPrettyPrinter()}).
 *
 * <p>All of them write {@code java.time} values as ISO-8601 text and reject unknown properties
 * when binding to a type.
 */
public final class Json {

    private static final ObjectMapper MAPPER = common(JsonMapper.builder()).build();

    // change data, watermarks, records: a double would round a DECIMAL, stripping zeros would change its scale
    private static final ObjectMapper EXACT = common(JsonMapper.builder())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final ObjectMapper YAML = common(YAMLMapper.builder()).build();

    private Json() {
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B common(B builder) {
        return builder.addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** JSON for state, status and API bodies. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * JSON whose numbers keep their exact value and scale: fractions are read as
     * {@link java.math.BigDecimal} with their trailing zeros. For change data and source positions.
     */
    public static ObjectMapper exactNumbers() {
        return EXACT;
    }

    /** YAML for configuration, playbooks and pipeline files. */
    public static ObjectMapper yaml() {
        return YAML;
    }
}
