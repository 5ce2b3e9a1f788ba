package io.lakeshift.orchestration.airflow;

import io.lakeshift.core.config.AirflowConfig;
import io.lakeshift.core.config.Secret;
import java.util.List;

/** Opens orchestration's in-process Airflow API server (spec-validated) to tests in other modules. */
public final class AirflowFixture implements AutoCloseable {

    private final FakeAirflow airflow;

    private AirflowFixture(FakeAirflow airflow) {
        this.airflow = airflow;
    }

    /** An Airflow 3 (/api/v2) with a static token. */
    public static AirflowFixture start(String token) {
        return new AirflowFixture(FakeAirflow.start("v2").acceptStaticToken(token));
    }

    public AirflowFixture dag(String dagId, boolean paused) {
        airflow.dag(dagId, paused);
        return this;
    }

    public AirflowConfig config(String token) {
        // the fake Airflow speaks plain http on the loopback
        return new AirflowConfig("v2", airflow.baseUrl(), "", Secret.empty(), Secret.of(token), 5_000, 2).withTls(null, true);
    }

    public boolean paused(String dagId) {
        return airflow.paused(dagId);
    }

    public int runCount(String dagId) {
        return airflow.runCount(dagId);
    }

    /** Requests that changed a DAG's paused flag, in order, as "PATCH path body". */
    public List<String> pauseRequests() {
        return airflow.received().stream().filter(r -> r.method().equals("PATCH"))
                .map(r -> r.method() + " " + r.path() + " " + r.body()).toList();
    }

    /** Requests or responses that broke Airflow's OpenAPI spec. */
    public List<String> violations() {
        return airflow.violations();
    }

    @Override
    public void close() {
        airflow.close();
    }
}
