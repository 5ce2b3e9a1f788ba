package io.lakeshift.ingestion;

/** Life cycle of a captured source as an operator sees it. */
public enum SourceState {
    STARTING, SNAPSHOTTING, STREAMING, FAILED, STOPPED
}
