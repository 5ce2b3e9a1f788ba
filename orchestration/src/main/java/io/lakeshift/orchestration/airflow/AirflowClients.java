package io.lakeshift.orchestration.airflow;

import io.lakeshift.core.config.AirflowConfig;
import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.retry.Backoff;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Creates the {@link AirflowClient} an {@link AirflowConfig} describes. */
public final class AirflowClients {

    /** Between retries of a failed call: from 0.5 s, doubling, up to 30 s, with jitter. */
    static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    private AirflowClients() {
    }

    /**
     * A client for {@code airflow.api}: {@code v1} (Airflow 2, {@code /api/v1}) or {@code v2}
     * (Airflow 3, {@code /api/v2}). Credentials, in order: {@code airflow.token} as a bearer token;
     * else {@code airflow.username} and {@code airflow.password}, as basic auth on v1 and exchanged
     * for a JWT at {@code POST /auth/token} on v2; else none.
     *
     * <p>TLS: Airflow's certificate is checked against {@code airflow.caFile} (a PEM bundle) when
     * set, else against the JVM's trust store. Credentials over plain {@code http://} are refused
     * unless {@code airflow.allowInsecureHttp} is true.
     *
     * @throws ConfigException when airflow.baseUrl is not set, airflow.api is neither v1 nor v2,
     *     credentials would travel over plain http, or airflow.caFile cannot be read
     */
    public static AirflowClient create(AirflowConfig config) {
        return create(config, DEFAULT_BACKOFF, HttpAirflowClient.DEFAULT_PAGE_SIZE, Clock.systemUTC());
    }

    static AirflowClient create(AirflowConfig config, Backoff backoff, int pageSize, Clock clock) {
        if (config == null || !config.configured()) {
            throw new ConfigException("airflow.baseUrl", "is not set: give the URL of the Airflow webserver or API server, "
                    + "e.g. --set airflow.baseUrl=http://airflow:8080");
        }
        if (!"v1".equals(config.api()) && !"v2".equals(config.api())) {
            throw new ConfigException("airflow.api", "must be v1 (Airflow 2) or v2 (Airflow 3), got '" + config.api() + "'");
        }
        if (config.timeoutMs() <= 0) {
            throw new ConfigException("airflow.timeoutMs", "must be positive, got " + config.timeoutMs());
        }
        String baseUrl = baseUrl(config.baseUrl());
        boolean credentials = !config.token().isEmpty() || (config.username() != null && !config.username().isBlank());
        if (baseUrl.regionMatches(true, 0, "http:", 0, 5) && credentials && !config.allowInsecureHttp()) {
            throw new ConfigException("airflow.allowInsecureHttp", "airflow.baseUrl is plain http and would send the password"
                    + " or token unencrypted: use an https:// URL, or set airflow.allowInsecureHttp: true on a trusted network");
        }
        Duration timeout = Duration.ofMillis(config.timeoutMs());
        int maxRetries = Math.max(0, config.maxRetries());
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (config.caFile() != null) {
            builder.sslContext(PemTrust.sslContext(Path.of(config.caFile())));
        }
        HttpClient http = builder.build();
        Redactor redactor = new Redactor();
        redactor.add(config.password().reveal());
        redactor.add(config.token().reveal());
        ErrorMapper errors = new ErrorMapper(redactor);
        Authenticator auth;
        if (!config.token().isEmpty()) {
            auth = Authenticator.staticToken(config.token().reveal());
        } else if (config.username() != null && !config.username().isBlank()) {
            if ("v1".equals(config.api())) {
                auth = Authenticator.basic(config.username(), config.password().reveal());
                redactor.add(auth.authorization().substring("Basic ".length()));
            } else {
                AirflowHttp tokenEndpoint = new AirflowHttp(baseUrl, http, Authenticator.NONE, timeout, maxRetries, backoff,
                        errors);
                auth = new PasswordTokenAuthenticator(tokenEndpoint, config.username(), config.password().reveal(), clock,
                        redactor);
            }
        } else {
            auth = Authenticator.NONE;
        }
        AirflowHttp api = new AirflowHttp(baseUrl, http, auth, timeout, maxRetries, backoff, errors);
        return new HttpAirflowClient(api, ApiDialect.of(config.api()), pageSize, clock);
    }

    /** Drops a trailing slash and an /api/v1 or /api/v2 suffix, and any user:password@ part. */
    static String baseUrl(String configured) {
        String url = configured.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (url.endsWith("/api/v1") || url.endsWith("/api/v2")) {
            url = url.substring(0, url.length() - "/api/v1".length());
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("airflow.baseUrl", "is not a valid URL");
        }
        if (uri.getRawUserInfo() != null) {
            url = url.replace(uri.getRawUserInfo() + "@", "");
        }
        return url;
    }
}
