package io.lakeshift.core.config;

import java.util.List;

/**
 * Transport security of the connections Lakeshift opens to a database source: its own JDBC
 * connections and Debezium's. A source without {@code tls} keeps its driver's default.
 *
 * @param mode {@code disable} (plain), {@code require} (encrypted, server not verified),
 *     {@code verify-ca} (the server's certificate signed by {@code caFile}) or
 *     {@code verify-full} (verify-ca, and the certificate names the host connected to)
 * @param caFile PEM bundle of the CA certificates to trust; required by the verify modes
 */
public record SourceTls(String mode, String caFile) {

    public static final String DISABLE = "disable";
    public static final String REQUIRE = "require";
    public static final String VERIFY_CA = "verify-ca";
    public static final String VERIFY_FULL = "verify-full";
    public static final List<String> MODES = List.of(DISABLE, REQUIRE, VERIFY_CA, VERIFY_FULL);

    /** The server's certificate is checked against {@link #caFile()}. */
    public boolean verifies() {
        return VERIFY_CA.equals(mode) || VERIFY_FULL.equals(mode);
    }

    public boolean disabled() {
        return DISABLE.equals(mode);
    }
}
