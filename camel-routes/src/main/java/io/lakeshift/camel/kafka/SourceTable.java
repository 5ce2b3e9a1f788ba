package io.lakeshift.camel.kafka;

import io.lakeshift.core.envelope.TopicNames;
import java.util.Objects;

/**
 * The table a non-CDC source feeds: what its events' {@code source} block names and the topics they
 * go to.
 *
 * @param system kind of source as the envelope names it: {@code file}, {@code jdbc}, {@code jms}
 * @param sourceName the Lakeshift source name
 * @param database the source database, or null
 * @param schema the schema part of the source's declared {@code schema.table}
 * @param table the table part
 * @param topic {@code <prefix>.<source>.<schema>.<table>}
 */
public record SourceTable(String system, String sourceName, String database, String schema, String table, String topic) {

    public SourceTable {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(topic, "topic");
    }

    public static SourceTable of(String system, String sourceName, String database, String topicPrefix, String qualifiedTable) {
        int dot = qualifiedTable.indexOf('.');
        String schema = qualifiedTable.substring(0, dot);
        String table = qualifiedTable.substring(dot + 1);
        return new SourceTable(system, sourceName, database, schema, table,
                TopicNames.changes(topicPrefix, sourceName, schema, table));
    }

    public String deadLetterTopic() {
        return TopicNames.deadLetters(topic);
    }
}
