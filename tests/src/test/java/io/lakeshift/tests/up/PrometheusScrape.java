package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scrape as a Prometheus server makes it: protobuf first, parsed by the Prometheus Java client's
 * own parser, into families by name.
 */
final class PrometheusScrape {

    private static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    private final Map<String, Metrics.MetricFamily> families;

    private PrometheusScrape(Map<String, Metrics.MetricFamily> families) {
        this.families = families;
    }

    static PrometheusScrape of(String url) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", PROTOBUF).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as(url).hasValueSatisfying(t -> assertThat(t).contains("protobuf"));
        Map<String, Metrics.MetricFamily> families = new LinkedHashMap<>();
        try (InputStream in = response.body()) {
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(family.getName(), family);
            }
        }
        return new PrometheusScrape(families);
    }

    /** The family; a counter may be named with or without {@code _total}, as the format writes it. */
    Metrics.MetricFamily family(String name) {
        Metrics.MetricFamily f = families.get(name);
        if (f == null && name.endsWith("_total")) {
            f = families.get(name.substring(0, name.length() - "_total".length()));
        }
        assertThat(f).as(name + " among " + families.keySet()).isNotNull();
        return f;
    }

    /** The value of the first sample of {@code name} with the label {@code label=value}. */
    double value(String name, String label, String value) {
        Metrics.MetricFamily f = family(name);
        for (Metrics.Metric m : f.getMetricList()) {
            if (m.getLabelList().stream().anyMatch(l -> l.getName().equals(label) && l.getValue().equals(value))) {
                return switch (f.getType()) {
                    case COUNTER -> m.getCounter().getValue();
                    case GAUGE -> m.getGauge().getValue();
                    case HISTOGRAM -> m.getHistogram().getSampleCount();
                    case SUMMARY -> m.getSummary().getSampleCount();
                    default -> m.getUntyped().getValue();
                };
            }
        }
        throw new AssertionError(name + " has no sample with " + label + "=" + value + ": " + f);
    }
}
