package io.lakeshift.core.envelope;

/** Topic naming: {@code <prefix>.<source>.<schema>.<table>}, and {@code <topic>.dlq} beside each. */
public final class TopicNames {

    public static final String DLQ_SUFFIX = ".dlq";

    private TopicNames() {
    }

    /** The prefix Debezium-style connectors put before {@code <schema>.<table>}. */
    public static String sourcePrefix(String prefix, String source) {
        return prefix + "." + source;
    }

    public static String changes(String prefix, String source, String schema, String table) {
        return sourcePrefix(prefix, source) + "." + schema + "." + table;
    }

    public static String deadLetters(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
