package io.lakeshift.ingestion;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.TopicNames;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The Debezium embedded-engine settings of one source: Lakeshift's defaults, then the kind's
 * settings, then the source's {@code properties}, passed through as they are (an operator can
 * override any of them).
 */
final class ConnectorProperties {

    /** Default heartbeat interval: the slot or binlog position advances at least this often. */
    static final String HEARTBEAT_MS = "10000";

    private ConnectorProperties() {
    }

    static Properties of(SourceConfig source, KafkaConfig kafka, Path stateDir, SourceDialect dialect) {
        Properties p = new Properties();
        p.setProperty("name", "lakeshift-" + source.name());
        p.setProperty("topic.prefix", TopicNames.sourcePrefix(source.topicPrefixOr(kafka.topicPrefix()), source.name()));
        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", Integer.toString(source.port()));
        p.setProperty("database.user", source.username());
        p.setProperty("database.password", source.password().reveal());
        p.setProperty("table.include.list", includeList(source));
        p.setProperty("snapshot.mode", source.snapshotMode());
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("heartbeat.interval.ms", HEARTBEAT_MS);
        // Written atomically and durably; reads the files of Kafka Connect's FileOffsetBackingStore as they are.
        p.setProperty("offset.storage", DurableOffsetStore.class.getName());
        p.setProperty(DurableOffsetStore.FILE_SETTING, offsetFile(stateDir, source).toString());
        p.setProperty("offset.flush.interval.ms", "1000");
        // Measured on 2 cores: larger batches keep the snapshot near the bare engine's rate.
        p.setProperty("max.batch.size", "8192");
        p.setProperty("max.queue.size", "32768");
        p.setProperty("poll.interval.ms", "50");
        p.setProperty("record.processing.order", "ORDERED");
        // A table added to a running source is snapshotted alone, on Lakeshift's signal (see CdcSource).
        p.setProperty("signal.enabled.channels", "in-process");
        dialect.configure(p, source, stateDir);
        ConnectorTls.configure(p, source, stateDir);
        source.properties().forEach(p::setProperty);
        return p;
    }

    /** Where a source's offsets live: one file per source under the state folder. */
    static Path offsetFile(Path stateDir, SourceConfig source) {
        return stateDir.resolve(source.name() + ".offsets");
    }

    /** Where a binlog source keeps the table definitions it has seen (Debezium's schema history). */
    static Path schemaHistoryFile(Path stateDir, SourceConfig source) {
        return stateDir.resolve(source.name() + ".schema-history");
    }

    /** Debezium reads the include list as regular expressions: the dot between schema and table is literal. */
    static String includeList(SourceConfig source) {
        return source.tables().stream().map(t -> t.replace(".", "\\.")).collect(Collectors.joining(","));
    }
}
