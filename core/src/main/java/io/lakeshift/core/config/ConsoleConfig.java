package io.lakeshift.core.config;

/**
 * Where the status console ({@code lakeshift console}, and the console part of {@code lakeshift up})
 * serves its page, its JSON views under {@code /api/} and {@code /health} and {@code /ready}.
 *
 * @param port the HTTP port; 0 lets the system choose a free one (printed at start)
 * @param bindAddress the interface it listens on: {@value MetricsConfig#LOOPBACK} (this machine
 *     only) by default, {@code 0.0.0.0} for every interface, or one address
 * @param enabled whether {@code lakeshift up} runs the console
 */
public record ConsoleConfig(int port, String bindAddress, boolean enabled) {

    /** Port 8470 on the loopback interface, run by {@code up}. */
    public static final ConsoleConfig DEFAULTS = new ConsoleConfig(8470, MetricsConfig.LOOPBACK, true);

    public ConsoleConfig {
        bindAddress = bindAddress == null || bindAddress.isBlank() ? MetricsConfig.LOOPBACK : bindAddress.strip();
    }
}
