package io.lakeshift.ingestion;

/**
 * Life cycle of a captured source as an operator sees it. RETRYING: capture failed and is being
 * restarted with backoff (the status's error says why and until when); FAILED: ended for good
 * (an unreadable offsets file, or still failing after {@code ingestion.giveUpAfterMs}).
 */
public enum SourceState {
    STARTING, SNAPSHOTTING, STREAMING, RETRYING, FAILED, STOPPED
}
