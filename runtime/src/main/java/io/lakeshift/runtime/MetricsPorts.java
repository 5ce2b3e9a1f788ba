package io.lakeshift.runtime;

import io.lakeshift.core.config.MetricsConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Prometheus ports of the parts {@code up} starts: {@code metrics.prometheusPort} is the first,
 * and each long-running part (ingestion, the routes, one apply job per source, in that order) takes
 * the next, so that parts on one machine never ask for the same port. Port 0 leaves them all off.
 */
final class MetricsPorts {

    private final MetricsConfig metrics;
    private final Map<String, Integer> assigned = new LinkedHashMap<>();

    MetricsPorts(MetricsConfig metrics) {
        this.metrics = metrics;
    }

    /** The part's command, with its own port when metrics are on. */
    List<String> command(String part, List<String> command) {
        if (metrics == null || metrics.prometheusPort() <= 0) {
            return command;
        }
        int port = metrics.prometheusPort() + assigned.size();
        if (port > 65535) {
            throw new IllegalStateException("metrics.prometheusPort " + metrics.prometheusPort() + " leaves no port for "
                    + part + ": each part takes the next port");
        }
        assigned.put(part, port);
        List<String> withPort = new ArrayList<>(command);
        withPort.add("--set");
        withPort.add("metrics.prometheusPort=" + port);
        return withPort;
    }

    /** Ports by part, in start order. */
    Map<String, Integer> assigned() {
        return assigned;
    }

    /** {@code ingest http://127.0.0.1:9400/metrics, apply-retail http://127.0.0.1:9401/metrics}. */
    String describe() {
        return assigned.entrySet().stream()
                .map(e -> e.getKey() + " http://" + metrics.bindAddress() + ":" + e.getValue() + "/metrics")
                .collect(Collectors.joining(", "));
    }
}
