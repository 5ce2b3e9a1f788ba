package io.lakeshift.orchestration.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The fake server's spec check catches requests that break the spec: the client tests can trust its silence. */
class FakeAirflowTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void flagsAnUndeclaredQueryParameter() throws Exception {
        try (FakeAirflow airflow = FakeAirflow.start("v1").dag("d", false)) {
            send(airflow, "GET", "/api/v1/dags?limit=2&page=3", null);

            assertThat(airflow.violations()).anyMatch(v -> v.contains("'page'"));
        }
    }

    @Test
    void flagsAWronglyTypedField() throws Exception {
        try (FakeAirflow airflow = FakeAirflow.start("v1").dag("d", false)) {
            send(airflow, "POST", "/api/v1/dags/d/dagRuns", "{\"logical_date\":\"yesterday\",\"conf\":{}}");

            assertThat(airflow.violations()).anyMatch(v -> v.contains("logical_date"));
        }
    }

    @Test
    void flagsAFieldTheV2TriggerBodyDoesNotAllow() throws Exception {
        try (FakeAirflow airflow = FakeAirflow.start("v2").dag("d", false)) {
            send(airflow, "POST", "/api/v2/dags/d/dagRuns", "{\"logical_date\":null,\"execution_date\":null}");

            assertThat(airflow.violations()).anyMatch(v -> v.contains("execution_date"));
        }
    }

    @Test
    void flagsAPatchWithoutIsPaused() throws Exception {
        try (FakeAirflow airflow = FakeAirflow.start("v2").dag("d", false)) {
            send(airflow, "PATCH", "/api/v2/dags/d", "{}");

            assertThat(airflow.violations()).anyMatch(v -> v.contains("is_paused"));
        }
    }

    @Test
    void acceptsWhatTheSpecAllows() throws Exception {
        try (FakeAirflow airflow = FakeAirflow.start("v2").dag("d", false)) {
            send(airflow, "PATCH", "/api/v2/dags/d?update_mask=is_paused", "{\"is_paused\":true}");

            assertThat(airflow.violations()).isEmpty();
            assertThat(airflow.paused("d")).isTrue();
        }
    }

    private void send(FakeAirflow airflow, String method, String target, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(airflow.baseUrl() + target))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
