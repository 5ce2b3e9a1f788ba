package io.lakeshift.camel.jms;

import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.camel.kafka.OutboundMessages;
import io.lakeshift.camel.kafka.RecordMessages;
import io.lakeshift.camel.record.RecordReader;
import io.lakeshift.camel.record.RecordReaders;
import io.lakeshift.camel.record.UnreadableInputException;
import io.lakeshift.camel.route.SourceHandler;
import io.lakeshift.camel.status.SourceMonitor;
import io.lakeshift.core.config.SourceConfig;
import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one queue route (template {@code lakeshift-jms-source}): {@link #convert} turns a
 * message's text into its events (one per record) or dead letters; the route sends them to Kafka in a
 * local JMS transaction that commits, acknowledging the message, only after Kafka acknowledged them.
 * A failure rolls the transaction back and the broker redelivers the message.
 *
 * <p>{@code source.seq} = [message sequence, record line]: the message sequence grows with every
 * message consumed, across restarts; {@code source.position} = {@code <JMSMessageID>:<line>}.
 */
public final class JmsSource implements SourceHandler {

    private static final Logger LOG = LoggerFactory.getLogger(JmsSource.class);
    private static final String RECORDS = "LakeshiftRecords";
    private static final String EVENTS = "LakeshiftEvents";
    private static final String DEAD_LETTERS = "LakeshiftDeadLetters";
    private static final String LAST_POSITION = "LakeshiftLastPosition";

    private final SourceSpec.Jms spec;
    private final CamelContext context;
    private final SequenceBlocks sequence;
    private final SourceMonitor monitor;
    private final OutboundMessages messages;

    public JmsSource(SourceSpec.Jms spec, CamelContext context, Path stateDir, SourceMonitor monitor) {
        this.spec = spec;
        this.context = context;
        this.sequence = new SequenceBlocks(stateDir.resolve("message-sequence"));
        this.monitor = monitor;
        this.messages = new OutboundMessages(context, spec.table());
        monitor.detail("queue", spec.settings().queue());
        monitor.detail("topic", spec.table().topic());
    }

    /** The broker's connection factory, logged in as the source's user. */
    public ConnectionFactory connectionFactory() {
        SourceConfig source = spec.source();
        return new ActiveMQConnectionFactory(spec.settings().brokerUrl(), source.username(),
                source.password().isEmpty() ? null : source.password().reveal());
    }

    /** Body: the message text in; the list of Kafka messages for its records out. */
    public void convert(Exchange exchange) throws IOException {
        exchange.setProperty(SourceHandler.PROPERTY, this);
        String messageId = exchange.getIn().getHeader("JMSMessageID", String.class);
        Long timestamp = exchange.getIn().getHeader("JMSTimestamp", Long.class);
        long sentAt = timestamp == null || timestamp == 0 ? System.currentTimeMillis() : timestamp;
        String text = exchange.getIn().getBody(String.class);
        List<Message> out = new ArrayList<>();
        long seq = sequence.next();
        long records = 0;
        long events = 0;
        if (text == null || text.isBlank()) {
            out.add(messages.deadLetter(text, "the message holds no record", messageId));
        } else {
            try (RecordReader reader = RecordReaders.open(new StringReader(text), spec.layout())) {
                RecordMessages recordMessages = new RecordMessages(context, spec.table(), reader.schema());
                while (reader.next()) {
                    records++;
                    out.add(recordMessages.next(reader, messageId + ":" + reader.line(), seq, reader.line(), sentAt));
                }
                events = recordMessages.events();
                exchange.setProperty(LAST_POSITION, recordMessages.lastPosition());
            } catch (UnreadableInputException e) {
                out.add(messages.deadLetter(text, e.getMessage(), messageId));
            }
        }
        exchange.setProperty(RECORDS, records);
        exchange.setProperty(EVENTS, events);
        exchange.setProperty(DEAD_LETTERS, (long) out.size() - events);
        exchange.getIn().setBody(out);
    }

    /** After Kafka acknowledged the message's events and dead letters; the JMS transaction commits next. */
    public void acknowledged(Exchange exchange) {
        monitor.add("messages", 1);
        monitor.add("records", exchange.getProperty(RECORDS, 0L, Long.class));
        monitor.add("events", exchange.getProperty(EVENTS, 0L, Long.class));
        monitor.add("deadLetters", exchange.getProperty(DEAD_LETTERS, 0L, Long.class));
        String last = exchange.getProperty(LAST_POSITION, String.class);
        if (last != null) {
            monitor.detail("lastPosition", last);
        }
    }

    @Override
    public void failed(Exchange exchange, Exception cause) {
        LOG.error("Source '{}': message {} failed; rolled back for the broker to redeliver", spec.name(),
                exchange.getIn().getHeader("JMSMessageID"), cause);
        monitor.detail("lastError", cause == null ? "unknown" : cause.getMessage());
    }
}
