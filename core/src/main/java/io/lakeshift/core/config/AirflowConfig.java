package io.lakeshift.core.config;

/**
 * The Airflow that schedules the remaining batch jobs, reached through its REST API.
 *
 * @param api {@code v1} (Airflow 2, /api/v1, basic auth) or {@code v2} (Airflow 3, /api/v2, bearer token)
 * @param baseUrl Airflow's base URL, for example {@code http://airflow:8080}; empty when there is no Airflow
 * @param username user for basic auth (v1) or for the token exchange at /auth/token (v2)
 * @param password that user's password (literal, env:NAME or file:PATH)
 * @param token a static bearer token, used instead of username and password when set
 * @param timeoutMs timeout of one HTTP request
 * @param maxRetries retries of a request that failed with a connection error, 429 or 5xx
 */
public record AirflowConfig(
        String api,
        String baseUrl,
        String username,
        Secret password,
        Secret token,
        long timeoutMs,
        int maxRetries) {

    public AirflowConfig {
        password = password == null ? Secret.empty() : password;
        token = token == null ? Secret.empty() : token;
    }

    public boolean configured() {
        return baseUrl != null && !baseUrl.isBlank();
    }
}
