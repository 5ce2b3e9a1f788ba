package io.lakeshift.lakehouse;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Captures every log line (DEBUG and up, with stack traces) while open, to prove what never gets logged. */
final class LogCapture implements AutoCloseable {

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final AbstractAppender appender;
    private final Level previous;

    private LogCapture() {
        appender = new AbstractAppender("lakeshift-test-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder line = new StringBuilder(event.getLoggerName()).append(": ")
                        .append(event.getMessage().getFormattedMessage());
                for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t);
                }
                lines.add(line.toString());
            }
        };
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        previous = root.getLevel();
        root.addAppender(appender, Level.DEBUG, null);
        root.setLevel(Level.DEBUG);
        context.updateLoggers();
    }

    static LogCapture start() {
        return new LogCapture();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    String all() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.removeAppender(appender.getName());
        root.setLevel(previous);
        context.updateLoggers();
        appender.stop();
    }
}
