package io.lakeshift.core.config;

/**
 * How the ingestion service treats a source that fails (Kafka unreachable for longer than the
 * producer's delivery timeout, the database restarting, a network cut): it restarts the source
 * with exponential backoff, from 1 s doubling up to {@code retryMaxBackoffMs}, with jitter, and
 * gives up when the source has not recovered for {@code giveUpAfterMs}, so a supervisor notices.
 *
 * @param retryMaxBackoffMs the longest wait between two restarts of a failing source
 * @param giveUpAfterMs how long a source may keep failing before the service gives up on it
 */
public record IngestionConfig(long retryMaxBackoffMs, long giveUpAfterMs) {

    /** One minute between restarts at most; give up after 15 minutes without recovery. */
    public static final IngestionConfig DEFAULTS = new IngestionConfig(60_000, 15 * 60_000);
}
