package io.lakeshift.runtime.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lakeshift.core.config.ConsoleConfig;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status console: one page (plain HTML, CSS and JavaScript from the classpath, no build step)
 * that refreshes itself from the JSON views under {@code /api/}, plus {@code /health} and
 * {@code /ready} for supervisors and {@code /metrics} (the tables' health and maintenance) for Prometheus. Served by the JDK's own HTTP server; read-only (GET and HEAD).
 *
 * <p>Reading the tables' metadata and the migration state costs catalog round trips, so those views
 * are read at most once per {@link #CATALOG_REFRESH_MS} however many browsers ask; the status files
 * (sources, pipelines, the charts) at every refresh.
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final ObjectMapper JSON = Json.mapper();
    private static final String RESOURCES = "/io/lakeshift/runtime/console/";
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/console.js", "console.js", "/console.css", "console.css");

    /** How often the tables and the migrations are read again at most. */
    static final long CATALOG_REFRESH_MS = 10_000;

    private final ConsoleViews views;
    private final HttpServer server;
    private final ScheduledExecutorService sampler;
    private final Cached tables;
    private final Cached migrations;
    private final ConsoleMetrics metrics = new ConsoleMetrics();

    private ConsoleServer(ConsoleViews views, HttpServer server, long refreshMs) {
        this.views = views;
        this.server = server;
        // Table metadata and migration gates cost catalog round trips and manifest reads, and change
        // with commits, not with every status beat: read them less often than the status files.
        long catalogMs = Math.max(refreshMs, CATALOG_REFRESH_MS);
        this.tables = new Cached(catalogMs, views::tables);
        this.migrations = new Cached(catalogMs, views::migrations);
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lakeshift-console-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, refreshMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Serves the console on {@code console.bindAddress}:{@code console.port}.
     *
     * @param refreshMs how often the charts take a sample and the views are read again ({@code metrics.statusIntervalMs})
     * @throws IllegalStateException naming both settings when the address cannot be bound
     */
    public static ConsoleServer start(ConsoleConfig config, ConsoleViews views, long refreshMs) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
        } catch (BindException e) {
            throw new IllegalStateException("cannot serve the console on " + config.bindAddress() + ":" + config.port()
                    + ": the port is taken (another 'lakeshift up' or console?); set console.port to a free port, or 0 for any", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve the console on " + config.bindAddress() + ":" + config.port()
                    + " (console.bindAddress, console.port): " + e.getMessage(), e);
        }
        http.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "lakeshift-console-http");
            t.setDaemon(true);
            return t;
        }));
        ConsoleServer console = new ConsoleServer(views, http, Math.max(1_000, refreshMs));
        console.route();
        http.start();
        LOG.info("Console at {}", console.url());
        return console;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8470/}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    private void route() {
        server.createContext("/", exchange -> {
            String page = PAGES.get(exchange.getRequestURI().getPath());
            if (page == null) {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            respond(exchange, 200, contentType(page), resource(page));
        });
        api("/api/sources", views::sources);
        api("/api/pipelines", views::pipelines);
        api("/api/tables", tables::get);
        api("/api/migrations", migrations::get);
        api("/api/history", views::history);
        api("/api/overview", this::overview);
        server.createContext("/metrics", metrics::serve);
        server.createContext("/health", exchange -> respond(exchange, 200, "text/plain; charset=utf-8",
                "ok\n".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/ready", exchange -> {
            List<String> problems = notReady();
            respond(exchange, problems.isEmpty() ? 200 : 503, "text/plain; charset=utf-8",
                    ((problems.isEmpty() ? "ready" : String.join("\n", problems)) + "\n").getBytes(StandardCharsets.UTF_8));
        });
    }

    /** Every view at once, as the page reads it; a view that cannot be read carries its error instead. */
    private Map<String, Object> overview() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("generatedAtMs", System.currentTimeMillis());
        all.put("sources", views.sources());
        all.put("pipelines", views.pipelines());
        put(all, "tables", tables);
        put(all, "migrations", migrations);
        return all;
    }

    private static void put(Map<String, Object> all, String name, Cached view) {
        try {
            all.put(name, view.get());
        } catch (Exception e) {
            all.put(name, List.of());
            all.put(name + "Error", message(e));
        }
    }

    /** What keeps the console from showing everything: a view it cannot read. */
    List<String> notReady() {
        List<String> problems = new java.util.ArrayList<>();
        for (Map.Entry<String, Cached> view : Map.of("tables", tables, "migrations", migrations).entrySet()) {
            try {
                view.getValue().get();
            } catch (Exception e) {
                problems.add("cannot read the " + view.getKey() + ": " + message(e));
            }
        }
        return problems;
    }

    private void sample() {
        try {
            views.sample();
        } catch (RuntimeException e) {
            LOG.warn("Console: cannot sample the status files: {}", message(e));
        }
        try {
            @SuppressWarnings("unchecked")
            List<TableView> current = (List<TableView>) tables.get();
            metrics.update(current, views.maintenance());
        } catch (Exception e) {
            LOG.debug("Console: table metrics not updated: {}", message(e));
        }
    }

    @FunctionalInterface
    private interface Read {
        Object get() throws Exception;
    }

    private void api(String path, Read read) {
        server.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            try {
                respond(exchange, 200, "application/json", JSON.writeValueAsBytes(read.get()));
            } catch (Exception e) {
                LOG.warn("Console: {} failed: {}", path, message(e));
                respond(exchange, 500, "application/json", JSON.writeValueAsBytes(Map.of("error", message(e))));
            }
        });
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            exchange.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().add("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String page) {
        if (page.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return page.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
    }

    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        server.stop(0);
        metrics.close();
    }

    /** A view read at most once per interval; a failed read is retried on the next ask. */
    private static final class Cached {
        private final long intervalMs;
        private final Read read;
        private long readAt;
        private Object value;

        Cached(long intervalMs, Read read) {
            this.intervalMs = intervalMs;
            this.read = read;
        }

        synchronized Object get() throws Exception {
            long now = System.currentTimeMillis();
            if (value == null || now - readAt >= intervalMs) {
                value = read.get();
                readAt = now;
            }
            return value;
        }
    }
}
