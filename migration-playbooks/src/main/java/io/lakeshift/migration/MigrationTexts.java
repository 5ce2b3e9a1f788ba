package io.lakeshift.migration;

import java.time.Duration;

/** How the migration engine writes and reads durations, for the command line. */
public final class MigrationTexts {

    private MigrationTexts() {
    }

    /** Parses 0, 500ms, 90s, 5m, 2h, 1d or PT5M. */
    public static Duration duration(String text) {
        return Durations.parse(text);
    }

    /** 1d2h, 5m, 30s, 250ms. */
    public static String format(Duration d) {
        return Durations.format(d);
    }
}
