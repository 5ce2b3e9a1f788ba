package io.lakeshift.ingestion;

import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.TopicNames;
import java.nio.file.Path;
import java.util.Properties;

/** The Debezium embedded-engine settings for one PostgreSQL source. */
final class PostgresConnectorProperties {

    private PostgresConnectorProperties() {
    }

    static Properties of(SourceConfig source, KafkaConfig kafka, Path offsetFile) {
        Properties p = new Properties();
        p.setProperty("name", "lakeshift-" + source.name());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("topic.prefix", TopicNames.sourcePrefix(kafka.topicPrefix(), source.name()));
        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", Integer.toString(source.port()));
        p.setProperty("database.user", source.username());
        p.setProperty("database.password", source.password().reveal());
        p.setProperty("database.dbname", source.database());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", source.slotName());
        p.setProperty("publication.name", source.slotName());
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", String.join(",", source.tables()));
        p.setProperty("snapshot.mode", source.snapshotMode());
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("heartbeat.interval.ms", "10000");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", offsetFile.toString());
        p.setProperty("offset.flush.interval.ms", "1000");
        // Measured on 2 cores: larger batches keep the snapshot near the bare engine's rate.
        p.setProperty("max.batch.size", "8192");
        p.setProperty("max.queue.size", "32768");
        p.setProperty("snapshot.fetch.size", "10240");
        p.setProperty("poll.interval.ms", "50");
        p.setProperty("record.processing.order", "ORDERED");
        source.properties().forEach(p::setProperty);
        return p;
    }
}
