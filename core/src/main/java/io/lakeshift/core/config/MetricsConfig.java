package io.lakeshift.core.config;

/**
 * Where a long-running Lakeshift process exposes its metrics.
 *
 * @param prometheusPort port of the Prometheus scrape endpoint ({@code /metrics}); 0 turns it off
 * @param statusIntervalMs how often running components write their status under the data folder
 * @param bindAddress the interface the endpoint listens on: {@value #LOOPBACK} (this machine only)
 *     by default, {@code 0.0.0.0} for every interface, or one address
 */
public record MetricsConfig(int prometheusPort, long statusIntervalMs, String bindAddress) {

    public static final String LOOPBACK = "127.0.0.1";

    public MetricsConfig {
        bindAddress = bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.strip();
    }

    /** An endpoint on the loopback interface only. */
    public MetricsConfig(int prometheusPort, long statusIntervalMs) {
        this(prometheusPort, statusIntervalMs, LOOPBACK);
    }
}
