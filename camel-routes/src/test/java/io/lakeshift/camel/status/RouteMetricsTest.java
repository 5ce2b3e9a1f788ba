package io.lakeshift.camel.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class RouteMetricsTest {

    @Test
    void aSourcesCountersAndStateAreMetricsReadWhenScraped() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SourceMonitor monitor = new SourceMonitor("orders_drop", "file");
        RouteMetrics.bind(registry, monitor);
        monitor.add("records", 10);
        monitor.add("deadLetters", 2);
        monitor.add("files", 1);
        monitor.state(SourceMonitor.RUNNING);

        String scraped = registry.scrape();
        assertThat(scraped).contains("lakeshift_route_records_total{kind=\"file\",source=\"orders_drop\"} 10.0",
                "lakeshift_route_dead_letters_total{kind=\"file\",source=\"orders_drop\"} 2.0",
                "lakeshift_route_files_total{kind=\"file\",source=\"orders_drop\"} 1.0",
                "lakeshift_route_unreadable_files_total{kind=\"file\",source=\"orders_drop\"} 0.0",
                "lakeshift_route_state{kind=\"file\",source=\"orders_drop\",state=\"RUNNING\"} 1.0",
                "lakeshift_route_state{kind=\"file\",source=\"orders_drop\",state=\"FAILED\"} 0.0");
    }

    @Test
    void camelCaseCountersBecomeSnakeCase() {
        assertThat(RouteMetrics.snake("deadLetters")).isEqualTo("dead.letters");
        assertThat(RouteMetrics.snake("records")).isEqualTo("records");
    }
}
