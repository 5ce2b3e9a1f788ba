package io.lakeshift.orchestration.airflow;

import static io.lakeshift.orchestration.airflow.TestClients.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Airflow 2: {@code /api/v1}, basic auth. */
class AirflowClientV1Test extends AirflowClientContract {

    @Override
    String api() {
        return "v1";
    }

    @Test
    void sendsBasicAuthOnEveryRequest() {
        client.listDags();
        client.getDag("orders_daily");

        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((FakeAirflow.USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(airflow.received()).extracting(FakeAirflow.Received::authorization).containsOnly(expected);
        assertThat(airflow.received()).extracting(FakeAirflow.Received::path).allMatch(path -> path.startsWith("/api/v1/"));
    }

    @Test
    void triggerWithoutLogicalDateLeavesItToAirflow() {
        DagRun run = client.trigger("orders_daily", Map.of());

        JsonNode sent = sentBody("POST", "/dags/orders_daily/dagRuns");
        assertThat(sent.has("logical_date")).isFalse();
        assertThat(run.logicalDate()).as("Airflow 2 dates the run itself").isNotNull();
    }

    @Test
    void pauseSendsTheUpdateMask() {
        client.pause("orders_daily");

        assertThat(airflow.received("PATCH", "/dags/orders_daily")).singleElement()
                .satisfies(r -> assertThat(r.query()).isEqualTo("update_mask=is_paused"));
    }
}
