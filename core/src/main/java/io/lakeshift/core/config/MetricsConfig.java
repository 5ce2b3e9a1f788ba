package io.lakeshift.core.config;

/**
 * Where a long-running Lakeshift process exposes its metrics.
 *
 * @param prometheusPort port of the Prometheus scrape endpoint ({@code /metrics}) on all
 *     interfaces; 0 turns it off
 * @param statusIntervalMs how often running components write their status under the data folder
 */
public record MetricsConfig(int prometheusPort, long statusIntervalMs) {
}
