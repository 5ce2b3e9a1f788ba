package io.lakeshift.cli.airflow;

import io.lakeshift.core.config.AirflowConfig;
import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.orchestration.airflow.AirflowClient;
import io.lakeshift.orchestration.airflow.AirflowClients;

/** The Airflow client of a command, or a configuration error that says how to name the Airflow. */
final class AirflowAccess {

    private AirflowAccess() {
    }

    static AirflowClient client(LakeshiftConfig config) {
        AirflowConfig airflow = config.airflow();
        if (airflow == null || !airflow.configured()) {
            throw new ConfigException("airflow.baseUrl", "is not set: name the Airflow to use in the config file"
                    + " (airflow: {baseUrl: http://airflow:8080, api: v2, username: ..., password: env:AIRFLOW_PASSWORD})"
                    + " or with --set airflow.baseUrl=http://airflow:8080");
        }
        return AirflowClients.create(airflow);
    }
}
