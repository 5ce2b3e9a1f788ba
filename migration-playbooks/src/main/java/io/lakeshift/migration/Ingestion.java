package io.lakeshift.migration;

import io.lakeshift.core.config.SourceConfig;

/** Makes sure a source is captured into Kafka (CDC running); idempotent. */
public interface Ingestion {

    /** @throws IllegalStateException naming what to start when the source is not captured and cannot be started here */
    void ensureCapturing(SourceConfig source);
}
