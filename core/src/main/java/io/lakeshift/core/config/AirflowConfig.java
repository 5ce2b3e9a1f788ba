package io.lakeshift.core.config;

/**
 * The Airflow that schedules the remaining batch jobs, reached through its REST API.
 *
 * @param api {@code v1} (Airflow 2, /api/v1, basic auth) or {@code v2} (Airflow 3, /api/v2, bearer token)
 * @param baseUrl Airflow's base URL, for example {@code https://airflow:8080}; empty when there is no Airflow
 * @param username user for basic auth (v1) or for the token exchange at /auth/token (v2)
 * @param password that user's password (literal, env:NAME or file:PATH)
 * @param token a static bearer token, used instead of username and password when set
 * @param timeoutMs timeout of one HTTP request
 * @param maxRetries retries of a request that failed with a connection error, 429 or 5xx
 * @param caFile a PEM file of the certificate authorities Airflow's TLS certificate is checked
 *     against (a private CA), instead of the JVM's trust store; null or empty for the JVM's
 * @param allowInsecureHttp whether credentials may go to an {@code http://} (unencrypted) Airflow;
 *     false refuses such a configuration at start-up
 */
public record AirflowConfig(
        String api,
        String baseUrl,
        String username,
        Secret password,
        Secret token,
        long timeoutMs,
        int maxRetries,
        String caFile,
        boolean allowInsecureHttp) {

    public AirflowConfig {
        password = password == null ? Secret.empty() : password;
        token = token == null ? Secret.empty() : token;
        caFile = caFile == null || caFile.isBlank() ? null : caFile;
    }

    /** An Airflow checked against the JVM's trust store, credentials over https only. */
    public AirflowConfig(String api, String baseUrl, String username, Secret password, Secret token, long timeoutMs,
            int maxRetries) {
        this(api, baseUrl, username, password, token, timeoutMs, maxRetries, null, false);
    }

    public boolean configured() {
        return baseUrl != null && !baseUrl.isBlank();
    }

    /** Whether requests carry a password or a token. */
    public boolean hasCredentials() {
        return !password.isEmpty() || !token.isEmpty();
    }

    /** The same Airflow with a private CA bundle and the plain-http choice. */
    public AirflowConfig withTls(String newCaFile, boolean newAllowInsecureHttp) {
        return new AirflowConfig(api, baseUrl, username, password, token, timeoutMs, maxRetries, newCaFile, newAllowInsecureHttp);
    }
}
