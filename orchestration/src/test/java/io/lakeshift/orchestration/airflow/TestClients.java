package io.lakeshift.orchestration.airflow;

import io.lakeshift.core.config.AirflowConfig;
import io.lakeshift.core.config.Secret;
import io.lakeshift.core.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/** Clients for the tests: millisecond backoff, small pages, seeded jitter. */
final class TestClients {

    static final String PASSWORD = "s3cr3t-Pa55word!";
    static final String STATIC_TOKEN = "static-token-0123456789abcdef";

    private TestClients() {
    }

    static AirflowConfig config(String api, String baseUrl, String username, String password, String token, long timeoutMs,
            int maxRetries) {
        return new AirflowConfig(api, baseUrl, username, password == null ? Secret.empty() : Secret.of(password),
                token == null ? Secret.empty() : Secret.of(token), timeoutMs, maxRetries)
                .withTls(null, true); // the fake Airflow speaks plain http on the loopback
    }

    static AirflowConfig withPassword(String api, String baseUrl) {
        return config(api, baseUrl, FakeAirflow.USER, PASSWORD, null, 2_000, 3);
    }

    static AirflowClient client(AirflowConfig config) {
        return client(config, Clock.systemUTC());
    }

    static AirflowClient client(AirflowConfig config, Clock clock) {
        Backoff fast = new Backoff(Duration.ofMillis(2), Duration.ofMillis(20), new Random(42));
        return AirflowClients.create(config, fast, 2, clock);
    }
}
