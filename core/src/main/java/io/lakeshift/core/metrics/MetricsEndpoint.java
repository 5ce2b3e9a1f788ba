package io.lakeshift.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lakeshift.core.config.MetricsConfig;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint of one long-running part (ingestion, the routes, an apply job): a
 * registry its metrics are bound to, with the JVM's own, served at {@code /metrics} on
 * {@code metrics.bindAddress}:{@code metrics.prometheusPort}; {@code /health} answers while the
 * process runs, {@code /ready} only while the part does its work (every source captured, every
 * pipeline running), with what is not ready otherwise.
 * With the port at 0 nothing listens and the registry still works (status files read the same values).
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final HttpServer server;
    private volatile Supplier<List<String>> notReady = List::of;

    private MetricsEndpoint(String part, String bindAddress, int port) {
        registry.config().commonTags("part", part);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.server = port > 0 ? serve(part, bindAddress, port) : null;
    }

    /**
     * Starts the endpoint of {@code part} (its name becomes the {@code part} label of every metric).
     *
     * @throws IllegalStateException naming both settings when the address cannot be bound
     */
    public static MetricsEndpoint start(MetricsConfig config, String part) {
        return config == null ? new MetricsEndpoint(part, MetricsConfig.LOOPBACK, 0)
                : new MetricsEndpoint(part, config.bindAddress(), config.prometheusPort());
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Where the endpoint listens, or null when it is off. */
    public InetSocketAddress address() {
        return server == null ? null : server.getAddress();
    }

    /**
     * What {@code /ready} asks: the reasons the part is not doing its work (a source still starting or
     * retrying, a failed pipeline), none when it is. Ready until set.
     */
    public MetricsEndpoint readiness(Supplier<List<String>> notReady) {
        this.notReady = notReady;
        return this;
    }

    /** The reasons the part is not ready; empty when it is. A failing check is itself a reason. */
    public List<String> notReady() {
        try {
            return notReady.get();
        } catch (RuntimeException e) {
            return List.of("readiness check failed: " + e.getMessage());
        }
    }

    /** The metrics in Prometheus' text format, as {@code /metrics} serves them. */
    public String scrape() {
        return registry.scrape();
    }

    private HttpServer serve(String part, String bindAddress, int port) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
            http.createContext("/metrics", this::serveMetrics);
            http.createContext("/health", exchange -> respond(exchange, 200, "ok\n"));
            http.createContext("/ready", exchange -> {
                List<String> problems = notReady();
                respond(exchange, problems.isEmpty() ? 200 : 503,
                        problems.isEmpty() ? "ready\n" : String.join("\n", problems) + "\n");
            });
            http.start();
            LOG.info("Prometheus metrics of {} at http://{}:{}/metrics", part, bindAddress, port);
            return http;
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve the metrics of " + part + " on " + bindAddress + ":" + port
                    + " (metrics.bindAddress, metrics.prometheusPort): " + e.getMessage(), e);
        }
    }

    /**
     * Answers a scrape in the format its {@code Accept} header asks for, as Prometheus negotiates it:
     * the text format by default, OpenMetrics or Prometheus' protobuf format on request.
     */
    public void serveMetrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            ExpositionFormatWriter writer = FORMATS.findWriter(accept);
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            registry.scrape(body, writer.getContentType());
            exchange.getResponseHeaders().add("Content-Type", writer.getContentType());
            exchange.sendResponseHeaders(200, body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        respond(exchange, status, "text/plain; charset=utf-8", text);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        gc.close();
        registry.close();
    }
}
