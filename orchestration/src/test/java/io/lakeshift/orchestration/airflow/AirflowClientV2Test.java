package io.lakeshift.orchestration.airflow;

import static io.lakeshift.orchestration.airflow.TestClients.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeshift.orchestration.airflow.FakeAirflow.Fault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Airflow 3: {@code /api/v2}, a JWT from {@code POST /auth/token}. */
class AirflowClientV2Test extends AirflowClientContract {

    @Override
    String api() {
        return "v2";
    }

    @Test
    void exchangesThePasswordForATokenOnceAndReusesIt() {
        client.listDags();
        client.getDag("orders_daily");
        client.pause("orders_daily");

        assertThat(airflow.tokenRequests()).isEqualTo(1);
        String token = airflow.issuedTokens().iterator().next();
        assertThat(airflow.received()).filteredOn(r -> r.path().startsWith("/api/v2/"))
                .extracting(FakeAirflow.Received::authorization).containsOnly("Bearer " + token);
        JsonNode tokenRequest = sentBody("POST", "/auth/token");
        assertThat(tokenRequest.get("username").asText()).isEqualTo(FakeAirflow.USER);
    }

    @Test
    void renewsTheTokenWhenAirflowSaysItExpired() {
        client.getDag("orders_daily");
        airflow.expireTokens();

        assertThat(client.getDag("orders_daily").dagId()).isEqualTo("orders_daily");
        assertThat(airflow.tokenRequests()).isEqualTo(2);
        assertThat(airflow.received("GET", "/api/v2/dags/orders_daily")).as("the 401, then the retry").hasSize(3);
    }

    @Test
    void renewsTheTokenBeforeItsExpiry() {
        MutableClock clock = new MutableClock(Instant.now());
        AirflowClient clocked = TestClients.client(TestClients.withPassword("v2", airflow.baseUrl()), clock);
        clocked.getDag("orders_daily");

        clock.advance(Duration.ofMinutes(59).plusSeconds(40));
        clocked.getDag("orders_daily");

        assertThat(airflow.tokenRequests()).as("renewed within 30 s of the 1 h expiry").isEqualTo(2);
        assertThat(airflow.received("GET", "/api/v2/dags/orders_daily")).as("no 401 on the way").hasSize(2);
    }

    @Test
    void refusedPasswordAtTheTokenEndpointIsUnauthorized() {
        airflow.changePassword("rotated");

        assertThatThrownBy(() -> client.getDag("orders_daily"))
                .isInstanceOf(AirflowUnauthorizedException.class)
                .hasMessageContaining("'orders_daily'")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("/auth/token")
                .hasMessageContaining("user '" + FakeAirflow.USER + "'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        assertThat(airflow.tokenRequests()).isEqualTo(1);
    }

    @Test
    void tokenEndpointErrorsAreRetriedLikeAnyOther() {
        airflow.fault(Fault.status("POST", "/auth/token", 503));

        assertThat(client.getDag("orders_daily").dagId()).isEqualTo("orders_daily");
        assertThat(airflow.tokenRequests()).isEqualTo(2);
    }

    @Test
    void triggerWithoutLogicalDateSendsAnExplicitNull() {
        DagRun run = client.trigger("orders_daily", Map.of());

        JsonNode sent = sentBody("POST", "/dags/orders_daily/dagRuns");
        assertThat(sent.has("logical_date")).isTrue();
        assertThat(sent.get("logical_date").isNull()).isTrue();
        assertThat(run.logicalDate()).isNull();
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
