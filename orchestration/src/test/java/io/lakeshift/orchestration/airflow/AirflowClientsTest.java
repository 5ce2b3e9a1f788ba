package io.lakeshift.orchestration.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class AirflowClientsTest {

    @Test
    void refusesAConfigWithoutBaseUrl() {
        assertThatThrownBy(() -> AirflowClients.create(TestClients.config("v2", "", "u", "p", null, 1000, 1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("airflow.baseUrl");
    }

    @Test
    void refusesAnUnknownApi() {
        assertThatThrownBy(() -> AirflowClients.create(TestClients.config("v3", "http://airflow:8080", "u", "p", null, 1000, 1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("airflow.api");
    }

    @Test
    void normalisesTheBaseUrl() {
        assertThat(AirflowClients.baseUrl("http://airflow:8080/")).isEqualTo("http://airflow:8080");
        assertThat(AirflowClients.baseUrl("http://airflow:8080/api/v1")).isEqualTo("http://airflow:8080");
        assertThat(AirflowClients.baseUrl("https://tools.example.com/airflow/api/v2/")).isEqualTo("https://tools.example.com/airflow");
        assertThat(AirflowClients.baseUrl("http://admin:hunter22@airflow:8080")).isEqualTo("http://airflow:8080");
    }
}
