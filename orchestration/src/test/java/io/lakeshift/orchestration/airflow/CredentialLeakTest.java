package io.lakeshift.orchestration.airflow;

import static io.lakeshift.orchestration.airflow.TestClients.PASSWORD;
import static io.lakeshift.orchestration.airflow.TestClients.STATIC_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.orchestration.airflow.FakeAirflow.Fault;
import io.lakeshift.orchestration.testing.CapturedLogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the client through successes and every kind of failure with all logging on, and proves
 * that no password, basic-auth header or token reaches a log line or an exception.
 */
class CredentialLeakTest {

    private final List<String> exceptions = new ArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void noCredentialInLogsOrExceptions(String api) throws IOException {
        CapturedLogs.clear();
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, STATIC_TOKEN,
                Base64.getEncoder().encodeToString((FakeAirflow.USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8))));
        try (FakeAirflow airflow = FakeAirflow.start(api).requirePassword(PASSWORD).dag("orders_daily", false)) {
            AirflowClient client = TestClients.client(TestClients.withPassword(api, airflow.baseUrl()));
            client.listDags();
            client.pause("orders_daily");
            DagRun run = client.trigger("orders_daily", Map.of("note", "leak test"));
            client.waitForDagRun("orders_daily", run.runId(), Duration.ofSeconds(5), Duration.ofMillis(5));
            client.listTaskInstances("orders_daily", run.runId());
            airflow.fault(Fault.status("GET", "/dags/orders_daily", 500));
            client.getDag("orders_daily");
            capture(() -> client.getDag("ghost"));
            capture(() -> client.trigger("orders_daily", DagRunRequest.of(Map.of()).withRunId(run.runId())));
            airflow.expireTokens();
            client.getDag("orders_daily");

            airflow.acceptStaticToken("some-other-token");
            AirflowClient staticClient = TestClients.client(
                    TestClients.config(api, airflow.baseUrl(), null, null, STATIC_TOKEN, 2_000, 1));
            capture(() -> staticClient.getDag("orders_daily"));

            airflow.changePassword("rotated-password");
            AirflowClient stale = TestClients.client(TestClients.withPassword(api, airflow.baseUrl()));
            capture(() -> stale.pause("orders_daily"));
            secrets.addAll(airflow.issuedTokens());
        }
        if (api.equals("v2")) {
            try (FakeAirflow quoting = FakeAirflow.start(api).requirePassword(PASSWORD).echoTokenRequestsIn422()
                    .dag("orders_daily", false)) {
                AirflowClient client = TestClients.client(TestClients.withPassword(api, quoting.baseUrl()));
                capture(() -> client.getDag("orders_daily"));
            }
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AirflowClient nowhere = TestClients.client(TestClients.config(api, "http://127.0.0.1:" + closedPort, FakeAirflow.USER,
                PASSWORD, null, 300, 1));
        capture(() -> nowhere.getDag("orders_daily"));

        List<String> logs = CapturedLogs.events();
        assertThat(logs).as("the capture works").anyMatch(line -> line.contains("Airflow DAG 'orders_daily' paused"))
                .anyMatch(line -> line.startsWith("DEBUG") && line.contains("/dags/orders_daily"));
        assertThat(exceptions).hasSizeGreaterThanOrEqualTo(5);
        for (String secret : secrets) {
            assertThat(logs).as("log lines").noneMatch(line -> line.contains(secret));
            assertThat(exceptions).as("exceptions").noneMatch(text -> text.contains(secret));
        }
    }

    private void capture(Runnable call) {
        try {
            call.run();
            throw new AssertionError("expected a failure");
        } catch (AirflowException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            exceptions.add(trace.toString());
        }
    }
}
