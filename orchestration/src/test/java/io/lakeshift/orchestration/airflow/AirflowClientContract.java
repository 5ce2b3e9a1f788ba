package io.lakeshift.orchestration.airflow;

import static io.lakeshift.orchestration.airflow.TestClients.PASSWORD;
import static io.lakeshift.orchestration.airflow.TestClients.STATIC_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeshift.orchestration.airflow.FakeAirflow.Fault;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client does against either Airflow, every request checked against that Airflow's
 * spec file by the fake server. Subclasses name the API version and add what is particular to it.
 */
abstract class AirflowClientContract {

    /** Client timeout of the timeout tests; the fake's slow answers take far longer (and end when it closes). */
    private static final long IMPATIENT_MS = 1_000;
    private static final long SLOW = 15_000;

    protected FakeAirflow airflow;
    protected AirflowClient client;

    abstract String api();

    @BeforeEach
    void startAirflow() {
        airflow = FakeAirflow.start(api())
                .requirePassword(PASSWORD)
                .dag("orders_daily", false)
                .dag("customers_daily", true)
                .dag("order_lines_daily", false);
        client = TestClients.client(TestClients.withPassword(api(), airflow.baseUrl()));
    }

    @AfterEach
    void requestsFollowedTheSpec() {
        try {
            assertThat(airflow.violations()).as("requests and responses that break the %s spec", api()).isEmpty();
        } finally {
            airflow.close();
        }
    }

    @Test
    void listsEveryDagAcrossPages() {
        airflow.dag("payments_hourly", false).dag("stock_nightly", true);

        List<DagInfo> dags = client.listDags();

        assertThat(dags).extracting(DagInfo::dagId)
                .containsExactly("customers_daily", "order_lines_daily", "orders_daily", "payments_hourly", "stock_nightly");
        assertThat(dags).filteredOn(DagInfo::paused).extracting(DagInfo::dagId)
                .containsExactly("customers_daily", "stock_nightly");
        assertThat(airflow.received("GET", "/dags")).as("pages of 2").hasSize(3);
    }

    @Test
    void getsOneDag() {
        DagInfo dag = client.getDag("orders_daily");

        assertThat(dag.dagId()).isEqualTo("orders_daily");
        assertThat(dag.paused()).isFalse();
        assertThat(dag.active()).isTrue();
        assertThat(dag.schedule()).isEqualTo("0 0 * * *");
        assertThat(dag.tags()).containsExactly("etl", "legacy");
        assertThat(dag.description()).isEqualTo("the legacy batch job orders_daily");
    }

    @Test
    void unknownDagIsDagNotFoundNamingTheDagAndStatus() {
        assertThatThrownBy(() -> client.getDag("no_such_dag"))
                .isInstanceOf(DagNotFoundException.class)
                .hasMessageContaining("'no_such_dag'")
                .hasMessageContaining("HTTP 404")
                .satisfies(e -> assertThat(((AirflowException) e).dagId()).isEqualTo("no_such_dag"));
        assertThat(airflow.received("GET", "/dags/no_such_dag")).as("a 404 is not retried").hasSize(1);
    }

    @Test
    void pausesAndUnpauses() {
        DagInfo paused = client.pause("orders_daily");
        assertThat(paused.paused()).isTrue();
        assertThat(airflow.paused("orders_daily")).isTrue();

        DagInfo unpaused = client.unpause("orders_daily");
        assertThat(unpaused.paused()).isFalse();
        assertThat(airflow.paused("orders_daily")).isFalse();
    }

    @Test
    void pausingAnUnknownDagIsDagNotFound() {
        assertThatThrownBy(() -> client.pause("ghost")).isInstanceOf(DagNotFoundException.class)
                .hasMessageContaining("'ghost'").hasMessageContaining("404");
    }

    @Test
    void triggersWithConfAndLogicalDate() {
        Instant logical = Instant.parse("2024-03-01T00:00:00Z");
        DagRun run = client.trigger("orders_daily",
                DagRunRequest.of(Map.of("full_refresh", true, "tables", List.of("orders"))).withLogicalDate(logical)
                        .withNote("migration rehearsal"));

        assertThat(run.dagId()).isEqualTo("orders_daily");
        assertThat(run.runId()).startsWith("lakeshift__");
        assertThat(run.state()).isEqualTo(DagRunState.QUEUED);
        assertThat(run.logicalDate()).isEqualTo(logical);
        assertThat(run.conf()).containsEntry("full_refresh", true).containsEntry("tables", List.of("orders"));
        JsonNode sent = sentBody("POST", "/dags/orders_daily/dagRuns");
        assertThat(sent.get("logical_date").asText()).isEqualTo("2024-03-01T00:00:00Z");
        assertThat(sent.has("execution_date")).as("the deprecated field is not sent").isFalse();
        assertThat(sent.get("dag_run_id").asText()).isEqualTo(run.runId());
    }

    @Test
    void triggerOfAnUnknownDagIsDagNotFound() {
        assertThatThrownBy(() -> client.trigger("ghost", Map.of()))
                .isInstanceOf(DagNotFoundException.class)
                .hasMessageContaining("'ghost'")
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void triggeringAnExistingRunIdIsAConflict() {
        client.trigger("orders_daily", DagRunRequest.of(Map.of()).withRunId("rehearsal_1"));

        assertThatThrownBy(() -> client.trigger("orders_daily", DagRunRequest.of(Map.of()).withRunId("rehearsal_1")))
                .isInstanceOf(DagRunConflictException.class)
                .hasMessageContaining("'orders_daily'")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("rehearsal_1");
        assertThat(airflow.runCount("orders_daily")).isEqualTo(1);
    }

    @Test
    void followsARunToSuccessWithItsTasks() {
        DagRun triggered = client.trigger("orders_daily", Map.of("source", "lakeshift"));

        DagRun finished = client.waitForDagRun("orders_daily", triggered.runId(), Duration.ofSeconds(10), Duration.ofMillis(5));

        assertThat(finished.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(finished.startDate()).isNotNull();
        assertThat(finished.endDate()).isNotNull();
        List<TaskInstance> tasks = client.listTaskInstances("orders_daily", triggered.runId());
        assertThat(tasks).singleElement().satisfies(task -> {
            assertThat(task.taskId()).isEqualTo("lakeshift_batch_run");
            assertThat(task.state()).isEqualTo("success");
            assertThat(task.tryNumber()).isEqualTo(1);
            assertThat(task.mapIndex()).isEqualTo(-1);
            assertThat(task.operator()).isEqualTo("BashOperator");
        });
    }

    @Test
    void waitReturnsAFailedRun() {
        airflow.failingRuns("orders_daily");
        DagRun triggered = client.trigger("orders_daily", Map.of());

        DagRun finished = client.waitForDagRun("orders_daily", triggered.runId(), Duration.ofSeconds(10), Duration.ofMillis(5));

        assertThat(finished.state()).isEqualTo(DagRunState.FAILED);
    }

    @Test
    void waitGivesUpAfterItsTimeout() {
        airflow.endlessRuns("orders_daily");
        DagRun triggered = client.trigger("orders_daily", Map.of());

        assertThatThrownBy(() -> client.waitForDagRun("orders_daily", triggered.runId(), Duration.ofMillis(200),
                Duration.ofMillis(20)))
                .isInstanceOf(DagRunTimeoutException.class)
                .hasMessageContaining("'orders_daily'")
                .hasMessageContaining("running")
                .satisfies(e -> assertThat(((DagRunTimeoutException) e).lastSeen().state()).isEqualTo(DagRunState.RUNNING));
    }

    @Test
    void unknownRunIsDagRunNotFound() {
        assertThatThrownBy(() -> client.getDagRun("orders_daily", "manual__2024-01-01T00:00:00+00:00"))
                .isInstanceOf(DagRunNotFoundException.class)
                .hasMessageContaining("'orders_daily'")
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("manual__2024-01-01T00:00:00+00:00");
    }

    @Test
    void listsRunsNewestFirst() {
        String first = client.trigger("orders_daily", Map.of("n", 1)).runId();
        String second = client.trigger("orders_daily", Map.of("n", 2)).runId();
        String third = client.trigger("orders_daily", Map.of("n", 3)).runId();

        assertThat(client.listDagRuns("orders_daily", 2)).extracting(DagRun::runId).containsExactly(third, second);
        assertThat(client.listDagRuns("orders_daily", 10)).extracting(DagRun::runId).containsExactly(third, second, first);
    }

    @Test
    void wrongPasswordIsUnauthorizedAndNotRetried() {
        airflow.changePassword("another-password");

        assertThatThrownBy(() -> client.getDag("orders_daily"))
                .isInstanceOf(AirflowUnauthorizedException.class)
                .hasMessageContaining("HTTP 401")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }

    @Test
    void staticTokenIsSentAsBearer() {
        airflow.acceptStaticToken(STATIC_TOKEN);
        AirflowClient tokenClient = TestClients.client(
                TestClients.config(api(), airflow.baseUrl(), null, null, STATIC_TOKEN, 2_000, 0));

        assertThat(tokenClient.getDag("orders_daily").dagId()).isEqualTo("orders_daily");
        assertThat(airflow.received()).extracting(FakeAirflow.Received::authorization).containsOnly("Bearer " + STATIC_TOKEN);
    }

    @Test
    void retriesAServerErrorThenSucceeds() {
        airflow.fault(Fault.status("GET", "/dags/orders_daily", 500)).fault(Fault.status("GET", "/dags/orders_daily", 502));

        assertThat(client.getDag("orders_daily").dagId()).isEqualTo("orders_daily");
        assertThat(airflow.received("GET", "/dags/orders_daily")).hasSize(3);
    }

    @Test
    void retriesTooManyRequestsHonouringRetryAfter() {
        airflow.fault(Fault.status("PATCH", "/dags/orders_daily", 429).withRetryAfter("0"));

        assertThat(client.pause("orders_daily").paused()).isTrue();
        assertThat(airflow.received("PATCH", "/dags/orders_daily")).hasSize(2);
    }

    @Test
    void givesUpAfterMaxRetriesWithTheLastStatus() {
        for (int i = 0; i < 4; i++) {
            airflow.fault(Fault.status("GET", "/dags/orders_daily", 503));
        }

        assertThatThrownBy(() -> client.getDag("orders_daily"))
                .isExactlyInstanceOf(AirflowException.class)
                .hasMessageContaining("'orders_daily'")
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("after 4 attempts")
                .satisfies(e -> {
                    assertThat(((AirflowException) e).httpStatus()).isEqualTo(503);
                    assertThat(((AirflowException) e).attempts()).isEqualTo(4);
                });
        assertThat(airflow.received("GET", "/dags/orders_daily")).as("1 attempt + airflow.maxRetries 3").hasSize(4);
    }

    @Test
    void doesNotRetryAClientError() {
        airflow.fault(Fault.status("POST", "/dags/orders_daily/dagRuns", 400));

        assertThatThrownBy(() -> client.trigger("orders_daily", Map.of()))
                .isExactlyInstanceOf(AirflowException.class)
                .hasMessageContaining("'orders_daily'")
                .hasMessageContaining("HTTP 400");
        assertThat(airflow.received("POST", "/dags/orders_daily/dagRuns")).hasSize(1);
    }

    @Test
    void slowAnswerIsRetriedThenUnreachable() {
        for (int i = 0; i < 2; i++) {
            airflow.fault(Fault.slow("GET", "/dags/orders_daily", SLOW));
        }
        AirflowClient impatient = impatientClient(1);

        assertThatThrownBy(() -> impatient.getDag("orders_daily"))
                .isInstanceOf(AirflowUnreachableException.class)
                .hasMessageContaining("'orders_daily'")
                .hasMessageContaining("no HTTP status")
                .hasMessageContaining(IMPATIENT_MS + " ms");
        assertThat(airflow.received("GET", "/dags/orders_daily")).hasSize(2);
    }

    @Test
    void slowAnswerOnceIsRetriedAndSucceeds() {
        AirflowClient impatient = impatientClient(2);
        impatient.getDag("orders_daily");
        airflow.fault(Fault.slow("GET", "/dags/orders_daily", SLOW));

        assertThat(impatient.getDag("orders_daily").dagId()).isEqualTo("orders_daily");
        assertThat(airflow.received("GET", "/dags/orders_daily")).hasSize(3);
    }

    @Test
    void triggerWhoseAnswerWasLostReturnsTheRunItCreated() {
        AirflowClient impatient = impatientClient(2);
        impatient.trigger("orders_daily", Map.of("attempt", "first"));
        airflow.fault(Fault.lostAnswer("POST", "/dags/orders_daily/dagRuns", SLOW));

        DagRun run = impatient.trigger("orders_daily", Map.of("attempt", "lost"));

        assertThat(run.conf()).containsEntry("attempt", "lost");
        assertThat(airflow.runCount("orders_daily")).as("one run per trigger, not one per attempt").isEqualTo(2);
        assertThat(airflow.received("POST", "/dags/orders_daily/dagRuns")).hasSize(3);
    }

    /**
     * A client that gives up after {@value #IMPATIENT_MS} ms. Tests that need an answer in time send
     * one ordinary request through it first, so the spec check's first, slower look at an operation
     * cannot eat into that time.
     */
    private AirflowClient impatientClient(int maxRetries) {
        return TestClients.client(TestClients.config(api(), airflow.baseUrl(), FakeAirflow.USER, PASSWORD, null, IMPATIENT_MS,
                maxRetries));
    }

    @Test
    void connectionRefusedIsUnreachableAfterRetries() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AirflowClient nowhere = TestClients.client(
                TestClients.config(api(), "http://127.0.0.1:" + closedPort, null, null, STATIC_TOKEN, 500, 2));

        assertThatThrownBy(() -> nowhere.pause("orders_daily"))
                .isInstanceOf(AirflowUnreachableException.class)
                .hasMessageContaining("'orders_daily'")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("3 attempts")
                .satisfies(e -> assertThat(((AirflowException) e).httpStatus()).isEqualTo(AirflowException.NO_STATUS));
    }

    protected JsonNode sentBody(String method, String pathSuffix) {
        List<FakeAirflow.Received> sent = airflow.received(method, pathSuffix);
        assertThat(sent).isNotEmpty();
        try {
            return Json.MAPPER.readTree(sent.get(sent.size() - 1).body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + sent.get(sent.size() - 1).body(), e);
        }
    }
}
