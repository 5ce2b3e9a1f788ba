package io.lakeshift.orchestration.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.event.Level;

/**
 * Every log event of the test JVM, at every level, as the text an appender would write (message
 * and stack trace). The SLF4J binding of the tests ({@link CapturingLoggerProvider}) fills it.
 */
public final class CapturedLogs {

    private static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    /** Echoed to stderr from these levels up (Lakeshift's, the libraries'), so a failed build shows what happened. */
    private static final Level ECHO_OURS = Level.INFO;
    private static final Level ECHO_THEIRS = Level.WARN;

    private CapturedLogs() {
    }

    static void record(String logger, Level level, String message, Throwable error) {
        StringBuilder event = new StringBuilder(level.name()).append(' ').append(logger).append(" - ").append(message);
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            event.append('\n').append(trace);
        }
        String text = event.toString();
        EVENTS.add(text);
        Level echo = logger.startsWith("io.lakeshift") ? ECHO_OURS : ECHO_THEIRS;
        if (level.toInt() >= echo.toInt()) {
            System.err.println(text);
        }
    }

    public static List<String> events() {
        return List.copyOf(EVENTS);
    }

    public static void clear() {
        EVENTS.clear();
    }
}
