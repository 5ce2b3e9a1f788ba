package io.lakeshift.camel.record;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a text input is split into records and fields. */
public enum RecordFormat {
    /** Delimited text (RFC 4180 quoting, configurable delimiter, quote and null marker). */
    CSV("csv"),
    /** One record per line, fields at declared character offsets. */
    FIXED_WIDTH("fixed-width"),
    /** One JSON object per line. */
    JSONL("jsonl");

    private final String configName;

    RecordFormat(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static List<String> configNames() {
        return Arrays.stream(values()).map(RecordFormat::configName).toList();
    }

    /** The format named in the config, or null when the name is unknown. */
    public static RecordFormat parse(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (RecordFormat f : values()) {
            if (f.configName.equals(n)) {
                return f;
            }
        }
        return null;
    }
}
