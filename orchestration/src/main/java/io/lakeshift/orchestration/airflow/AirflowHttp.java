package io.lakeshift.orchestration.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.lakeshift.core.retry.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one {@link ApiCall}: authenticates it, retries connection errors, 429 and 5xx with
 * backoff, renews an expired token once on 401, and maps any other failure to an exception.
 * Neither headers nor bodies are ever logged: they may hold credentials.
 */
final class AirflowHttp {

    private static final Logger LOG = LoggerFactory.getLogger(AirflowHttp.class);
    /** A Retry-After longer than this is not honoured: the caller would rather fail than hang. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final String baseUrl;
    private final HttpClient http;
    private final Authenticator auth;
    private final Duration timeout;
    private final int maxRetries;
    private final Backoff backoff;
    private final ErrorMapper errors;

    AirflowHttp(String baseUrl, HttpClient http, Authenticator auth, Duration timeout, int maxRetries, Backoff backoff,
            ErrorMapper errors) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.auth = auth;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.errors = errors;
    }

    /** Sends the call; returns the JSON answer (a missing node for an empty one). */
    JsonNode send(ApiCall call) {
        int attempt = 0;
        boolean renewedCredentials = false;
        while (true) {
            attempt++;
            HttpResponse<String> response;
            long started = System.nanoTime();
            try {
                response = http.send(request(call), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt > maxRetries) {
                    throw errors.unreachable(call, baseUrl, timeout.toMillis(), attempt, e);
                }
                pause(call, attempt, e.getClass().getSimpleName(), backoff.delay(attempt - 1));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AirflowException("interrupted while calling Airflow (" + call.method() + " " + call.path() + ")",
                        call.dagId(), AirflowException.NO_STATUS, attempt, e);
            }
            int status = response.statusCode();
            LOG.debug("Airflow {} {} -> {} in {} ms (attempt {})", call.method(), call.target(), status,
                    (System.nanoTime() - started) / 1_000_000, attempt);
            if (status >= 200 && status < 300) {
                return parse(call, status, response.body());
            }
            if (status == 401 && !renewedCredentials && auth.invalidate()) {
                renewedCredentials = true;
                attempt--;
                LOG.info("Airflow answered 401 to {} {}: renewing the token once", call.method(), call.path());
                continue;
            }
            if (retriable(status) && attempt <= maxRetries) {
                pause(call, attempt, "HTTP " + status, delay(response, attempt));
                continue;
            }
            throw errors.map(call, status, response.body(), attempt, auth);
        }
    }

    private HttpRequest request(ApiCall call) {
        HttpRequest.BodyPublisher body = call.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body().toString());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + call.target()))
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(call.method(), body);
        if (call.body() != null) {
            builder.header("Content-Type", "application/json");
        }
        String authorization;
        try {
            authorization = auth.authorization();
        } catch (AirflowException e) {
            throw aboutDag(e, call.dagId());
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    /** A failed token exchange, named after the DAG call that needed the token. */
    private static AirflowException aboutDag(AirflowException e, String dagId) {
        if (dagId == null || e.dagId() != null) {
            return e;
        }
        String message = "cannot call Airflow for DAG '" + dagId + "': " + e.getMessage();
        if (e instanceof AirflowUnauthorizedException) {
            return new AirflowUnauthorizedException(message, dagId, e.httpStatus(), e.attempts());
        }
        if (e instanceof AirflowUnreachableException) {
            return new AirflowUnreachableException(message, dagId, e.attempts(), e.getCause());
        }
        return new AirflowException(message, dagId, e.httpStatus(), e.attempts(), e.getCause());
    }

    private JsonNode parse(ApiCall call, int status, String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            // the token endpoint's body holds the token: name the failure, never quote the body
            throw new AirflowException("Airflow's answer to " + call.method() + " " + call.path() + " is not JSON (HTTP "
                    + status + (call.dagId() == null ? "" : ", DAG '" + call.dagId() + "'") + ")",
                    call.dagId(), status);
        }
    }

    private static boolean retriable(int status) {
        return status == 429 || status >= 500;
    }

    private Duration delay(HttpResponse<String> response, int attempt) {
        Duration delay = backoff.delay(attempt - 1);
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        if (retryAfter != null) {
            try {
                Duration asked = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
                if (asked.compareTo(delay) > 0 && asked.compareTo(MAX_RETRY_AFTER) <= 0) {
                    delay = asked;
                }
            } catch (NumberFormatException ignored) {
                // an HTTP date: the backoff is as good a guess
            }
        }
        return delay;
    }

    private void pause(ApiCall call, int attempt, String failure, Duration delay) {
        LOG.warn("Airflow {} {} failed ({}); retry {} of {} in {} ms", call.method(), call.path(), failure, attempt,
                maxRetries, delay.toMillis());
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AirflowException("interrupted while waiting to retry " + call.method() + " " + call.path(),
                    call.dagId(), AirflowException.NO_STATUS, attempt, e);
        }
    }
}
