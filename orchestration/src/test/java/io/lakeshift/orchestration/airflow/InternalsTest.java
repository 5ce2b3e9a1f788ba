package io.lakeshift.orchestration.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The small pieces: token expiry, redaction, error mapping, run states. */
class InternalsTest {

    @Test
    void readsTheExpiryOfAJwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"HS512\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"sub\":\"x\",\"exp\":1767225600}".getBytes(StandardCharsets.UTF_8)) + ".sig";

        assertThat(PasswordTokenAuthenticator.expiry(token)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(PasswordTokenAuthenticator.expiry("opaque-token")).isNull();
        assertThat(PasswordTokenAuthenticator.expiry("a.%%%.c")).isNull();
    }

    @Test
    void errorDetailsQuotingASecretAreMasked() {
        Redactor redactor = new Redactor();
        redactor.add("hunter2-password");
        ErrorMapper errors = new ErrorMapper(redactor);
        ApiCall call = new ApiCall("POST", "/api/v2/dags/d/dagRuns", null, null, "d", null, false);

        AirflowException e = errors.map(call, 422, "{\"detail\":[{\"input\":{\"password\":\"hunter2-password\"}}]}", 1,
                Authenticator.NONE);

        assertThat(e.getMessage()).doesNotContain("hunter2-password").contains("******").contains("HTTP 422").contains("'d'");
    }

    @Test
    void sensitiveCallsNeverQuoteTheAnswer() {
        ErrorMapper errors = new ErrorMapper(new Redactor());
        ApiCall call = new ApiCall("POST", "/auth/token", null, null, null, null, true);

        AirflowException e = errors.map(call, 400, "{\"detail\":\"bad body: {username: u, password: pw}\"}", 1,
                Authenticator.NONE);

        assertThat(e.getMessage()).doesNotContain("pw").contains("HTTP 400").contains("/auth/token");
    }

    @Test
    void unknownRunStatesAreNeverTerminal() {
        assertThat(DagRunState.fromWire("success").terminal()).isTrue();
        assertThat(DagRunState.fromWire("failed").terminal()).isTrue();
        assertThat(DagRunState.fromWire("queued").terminal()).isFalse();
        assertThat(DagRunState.fromWire("restarting")).isEqualTo(DagRunState.UNKNOWN);
        assertThat(DagRunState.UNKNOWN.terminal()).isFalse();
    }
}
