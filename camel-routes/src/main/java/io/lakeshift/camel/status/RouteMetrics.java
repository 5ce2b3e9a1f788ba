package io.lakeshift.camel.status;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * A route source's counters as Prometheus metrics, labelled {@code source} and {@code kind}: the
 * values its status file holds ({@code lakeshift sources list}), read when scraped.
 */
public final class RouteMetrics {

    /** The {@link SourceMonitor} counters the routes keep, each a {@code lakeshift_route_<name>_total}. */
    static final List<String> COUNTERS = List.of("records", "events", "deadLetters", "files", "unreadableFiles",
            "duplicateFiles", "messages", "acknowledged");
    private static final List<String> STATES = List.of(SourceMonitor.STARTING, SourceMonitor.RUNNING,
            SourceMonitor.FAILED, SourceMonitor.STOPPED);

    private RouteMetrics() {
    }

    public static void bind(MeterRegistry registry, SourceMonitor monitor) {
        for (String counter : COUNTERS) {
            FunctionCounter.builder("lakeshift.route." + snake(counter), monitor, m -> m.counter(counter))
                    .tag("source", monitor.name()).tag("kind", monitor.kind())
                    .description("'" + counter + "' of the source's status").register(registry);
        }
        for (String state : STATES) {
            Gauge.builder("lakeshift.route.state", monitor, m -> state.equals(m.state()) ? 1 : 0)
                    .tag("source", monitor.name()).tag("kind", monitor.kind()).tag("state", state)
                    .description("1 for the source's current state").register(registry);
        }
    }

    /** {@code deadLetters} as Prometheus writes names: {@code dead.letters}, so {@code dead_letters}. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1.$2").toLowerCase(java.util.Locale.ROOT);
    }
}
