package io.lakeshift.ingestion;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Everything logged while it is open, messages and stack traces as text, for assertions on logs. */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.start0();
        return capture;
    }

    private void start0() {
        start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.addAppender(this, null, null);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder sb = new StringBuilder();
        sb.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(": ")
                .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            sb.append('\n').append(trace);
        }
        lines.add(sb.toString());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
