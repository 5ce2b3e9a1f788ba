package io.lakeshift.camel.config;

import io.lakeshift.camel.kafka.SourceTable;
import io.lakeshift.camel.record.RecordLayout;
import io.lakeshift.core.config.SourceConfig;

/** A non-CDC source whose settings were bound and validated: what a route is built from. */
public sealed interface SourceSpec permits SourceSpec.File, SourceSpec.Jdbc, SourceSpec.Jms {

    SourceConfig source();

    SourceTable table();

    default String name() {
        return source().name();
    }

    /** A directory of dropped files. */
    record File(SourceConfig source, SourceTable table, FileSettings settings, RecordLayout layout)
            implements SourceSpec {
    }

    /** A table polled by a watermark column. */
    record Jdbc(SourceConfig source, SourceTable table, JdbcSettings settings, String url) implements SourceSpec {

        /** The polled table's schema in the database. */
        public String sourceSchema() {
            return settings.sourceSchema() == null ? table.schema() : settings.sourceSchema();
        }

        /** The polled table's name in the database. */
        public String sourceTable() {
            return settings.sourceTable() == null ? table.table() : settings.sourceTable();
        }
    }

    /** A JMS queue. */
    record Jms(SourceConfig source, SourceTable table, JmsSettings settings, RecordLayout layout)
            implements SourceSpec {
    }
}
