package io.lakeshift.camel.kafka;

import io.lakeshift.core.envelope.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * The Camel messages a source route hands to its Kafka endpoint, one per record: an event for the
 * table's topic, or a dead letter for its {@code .dlq} topic. A route sends a list of them at a time
 * (the Kafka endpoint runs with {@code batchWithIndividualHeaders}, so each keeps its own key, topic and
 * headers).
 */
public final class OutboundMessages {

    /** Dead-letter header with the record's raw text (truncated to {@link #MAX_RAW_HEADER} characters). */
    public static final String RAW = "lakeshift.error.raw";
    /** Dead-letter stage of everything Camel routes reject. */
    public static final String STAGE = "camel";
    public static final int MAX_RAW_HEADER = 16 * 1024;

    private final CamelContext context;
    private final String deadLetterTopic;

    public OutboundMessages(CamelContext context, SourceTable table) {
        this.context = context;
        this.deadLetterTopic = table.deadLetterTopic();
    }

    /** A change event for the endpoint's topic. */
    public Message event(byte[] key, byte[] value) {
        Message m = new DefaultMessage(context);
        m.setHeader(KafkaConstants.KEY, key);
        m.setBody(value);
        return m;
    }

    /**
     * A dead letter: the raw record as value, and why and where from in the headers.
     *
     * @param origin file and line ({@code orders.csv:42}), message id or table position
     */
    public Message deadLetter(String raw, String reason, String origin) {
        Message m = new DefaultMessage(context);
        String text = raw == null ? "" : raw;
        m.setHeader(KafkaConstants.OVERRIDE_TOPIC, deadLetterTopic);
        m.setHeader(DeadLetterHeaders.REASON, utf8(reason));
        m.setHeader(DeadLetterHeaders.ORIGIN, utf8(origin));
        m.setHeader(DeadLetterHeaders.STAGE, utf8(STAGE));
        m.setHeader(DeadLetterHeaders.TIMESTAMP, utf8(Long.toString(System.currentTimeMillis())));
        m.setHeader(RAW, utf8(text.length() > MAX_RAW_HEADER ? text.substring(0, MAX_RAW_HEADER) : text));
        m.setBody(utf8(text));
        return m;
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
