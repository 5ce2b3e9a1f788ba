package io.lakeshift.orchestration.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Airflow 3: exchanges username and password for a JWT at {@code POST /auth/token}, keeps it
 * until shortly before its {@code exp} claim, and fetches a new one when Airflow answers 401.
 */
final class PasswordTokenAuthenticator implements Authenticator {

    static final String TOKEN_PATH = "/auth/token";
    /** Renew this long before the token's expiry, so a request never leaves with a token about to lapse. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(PasswordTokenAuthenticator.class);

    private final AirflowHttp tokenEndpoint;
    private final String username;
    private final String password;
    private final Clock clock;
    private final Redactor redactor;

    private String header;
    private Instant renewAt = Instant.MIN;

    PasswordTokenAuthenticator(AirflowHttp tokenEndpoint, String username, String password, Clock clock, Redactor redactor) {
        this.tokenEndpoint = tokenEndpoint;
        this.username = username;
        this.password = password;
        this.clock = clock;
        this.redactor = redactor;
    }

    @Override
    public synchronized String authorization() {
        if (header == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return header;
    }

    @Override
    public synchronized boolean invalidate() {
        header = null;
        return true;
    }

    @Override
    public String describe() {
        return "a token for user '" + username + "' from POST " + TOKEN_PATH + " (airflow.username, airflow.password)";
    }

    private void fetch() {
        ObjectNode body = Json.object().put("username", username).put("password", password);
        JsonNode answer;
        try {
            answer = tokenEndpoint.send(new ApiCall("POST", TOKEN_PATH, null, body, null, null, true));
        } catch (AirflowUnauthorizedException e) {
            throw new AirflowUnauthorizedException("Airflow refused the password of user '" + username + "' (HTTP "
                    + e.httpStatus() + " on POST " + TOKEN_PATH + "): check airflow.username and airflow.password",
                    null, e.httpStatus(), e.attempts());
        }
        String token = Json.text(answer, "access_token");
        if (token == null || token.isBlank()) {
            throw new AirflowException("Airflow's answer to POST " + TOKEN_PATH + " holds no access_token", null,
                    AirflowException.NO_STATUS);
        }
        redactor.add(token);
        header = "Bearer " + token;
        Instant expiry = expiry(token);
        renewAt = expiry == null ? Instant.MAX : expiry.minus(RENEW_BEFORE);
        LOG.debug("Airflow token for user '{}' obtained, expires {}", username, expiry == null ? "when Airflow says so" : expiry);
    }

    /** The JWT's {@code exp} claim, or null when the token is not a JWT (then only a 401 renews it). */
    static Instant expiry(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            JsonNode claims = Json.MAPPER.readTree(new String(payload, StandardCharsets.UTF_8));
            JsonNode exp = claims.get("exp");
            return exp != null && exp.isNumber() ? Instant.ofEpochSecond(exp.asLong()) : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
