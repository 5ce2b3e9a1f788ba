package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status console of a running {@code lakeshift up} on a team's own PostgreSQL, read in a real
 * headless Chromium: every source, pipeline, table and migration is on the page with the figures
 * the CLI's status commands print; a change in the source reaches the freshness chart; a pipeline
 * that an incompatible column change stops shows its error; a migration gate that holds shows its
 * evidence.
 */
class ConsoleIT {

    private static final String PASSWORD = "s3cret-shop";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static EmbeddedPostgres source;
    static LakeshiftCommand up;
    static WebDriver browser;
    static Path config;
    static Path dataDir;
    static int consolePort;
    static int metricsPort;

    @BeforeAll
    static void shopDatabase() throws Exception {
        // Debian's browser is not part of JDK + Maven; .ci/run installs it, a bare machine skips this test and says why
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the console's page test needs /usr/bin/chromium and /usr/bin/chromedriver: apt-get install chromium chromium-driver");
        source = TeamPostgres.start(work.resolve("shop-db"), "shop_cdc", PASSWORD, "shopdb", true);
        try (Connection c = shop(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA shop");
            st.execute("CREATE TABLE shop.orders (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, note text)");
            st.execute("CREATE TABLE shop.gadgets (id int PRIMARY KEY, price numeric(12,2), label text)");
            st.execute("INSERT INTO shop.orders SELECT g, g * 1.25, 'order ' || g FROM generate_series(1, 40) g");
            st.execute("INSERT INTO shop.gadgets VALUES (1, 9.99, 'lamp'), (2, 19.99, 'kettle'), (3, 4.50, 'cup')");
        }
        dataDir = work.resolve("lakeshift-data");
        config = work.resolve("shop.yaml");
        metricsPort = FreePorts.twoInARow();
        do {
            consolePort = FreePorts.one();
        } while (consolePort == metricsPort || consolePort == metricsPort + 1);
        // shop.orders is being migrated: in SHADOW under the default playbook of its legacy DAG
        Files.writeString(config, String.join("\n",
                "sources:",
                "  - name: shop",
                "    kind: postgres",
                "    host: 127.0.0.1",
                "    port: " + source.getPort(),
                "    database: shopdb",
                "    username: shop_cdc",
                "    password: env:SHOP_PASSWORD",
                "    tables: [shop.orders, shop.gadgets]",
                "pipelines:",
                "  - name: shop.orders",
                "    source: shop",
                "    table: shop.orders",
                "    target: shop.orders",
                "    stage: SHADOW",
                "    dag: legacy_orders",
                "  - name: shop.gadgets",
                "    source: shop",
                "    table: shop.gadgets",
                "    target: shop.gadgets",
                "spark:",
                "  shufflePartitions: 2",
                "  triggerIntervalMs: 500",
                "console:",
                "  port: " + consolePort,
                "metrics:",
                "  prometheusPort: " + metricsPort,
                ""), StandardCharsets.UTF_8);
    }

    @Test
    void theConsoleShowsWhatTheStatusCommandsShowAndFollowsTheSource() throws Exception {
        up = LakeshiftCommand.start(work.resolve("up.out"), Map.of("SHOP_PASSWORD", PASSWORD),
                "up", "--config", config.toString(), "--data-dir", dataDir.toString());
        up.awaitOutput("console at http://127.0.0.1:" + consolePort + "/", Duration.ofMinutes(3));
        up.awaitOutput("pipeline shop.orders is running", Duration.ofMinutes(4));
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() ->
                applied("shop.orders") >= 40 && applied("shop.gadgets") >= 3);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/ready").statusCode()).as(get("/ready").body()).isEqualTo(200);

        browser = chromium();
        browser.get("http://127.0.0.1:" + consolePort + "/");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> cell("sources", "shop", "state").equals("streaming"));

        // every source, pipeline, table and migration, with the CLI's figures (nothing moves meanwhile)
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(this::pageMatchesTheStatusCommands);
        assertThat(up.output()).doesNotContain(PASSWORD);
        assertThat(browser.getPageSource()).doesNotContain(PASSWORD);

        // a gate that holds shows its evidence, as 'migrate plan' prints it
        String migration = "#migrations .migration[data-name='shop.orders'] ";
        assertThat(text(migration + "[data-field=stage]")).isEqualTo("SHADOW");
        assertThat(text(migration + "[data-field=next]")).isEqualTo("INCREMENTAL");
        String plan = cli(3, "migrate", "plan", "shop.orders"); // 3: a gate holds
        List<Map<String, String>> failing = gates("shop.orders").stream().filter(g -> g.get("passed").equals("false")).toList();
        assertThat(failing).isNotEmpty();
        for (Map<String, String> gate : failing) {
            assertThat(gate.get("evidence")).isNotBlank();
            assertThat(plan).contains("FAIL " + gate.get("gate") + ": ");
            if (gate.get("gate").contains("reconciliation")) {
                assertThat(plan).contains("FAIL " + gate.get("gate") + ": " + gate.get("evidence"));
            }
        }

        // every part's metrics, read as Prometheus reads them
        up.awaitOutput("Prometheus metrics: ingest http://127.0.0.1:" + metricsPort + "/metrics, apply-shop http://127.0.0.1:"
                + (metricsPort + 1) + "/metrics", Duration.ofSeconds(10));
        PrometheusScrape capture = PrometheusScrape.of("http://127.0.0.1:" + metricsPort + "/metrics");
        for (String family : List.of("lakeshift_capture_events_total", "lakeshift_capture_dead_letters_total",
                "lakeshift_capture_snapshot_rows_total", "lakeshift_capture_behind_seconds", "lakeshift_capture_lag_bytes",
                "lakeshift_capture_state", "jvm_memory_used_bytes")) {
            capture.family(family);
        }
        PrometheusScrape apply = PrometheusScrape.of("http://127.0.0.1:" + (metricsPort + 1) + "/metrics");
        for (String family : List.of("lakeshift_pipeline_records_in_total", "lakeshift_pipeline_rows_applied_total",
                "lakeshift_pipeline_dead_letters_total", "lakeshift_pipeline_last_batch_duration_seconds",
                "lakeshift_pipeline_freshness_seconds", "lakeshift_pipeline_freshness_p99_seconds",
                "lakeshift_pipeline_kafka_lag_records", "jvm_gc_pause_seconds")) {
            apply.family(family);
        }
        PrometheusScrape tables = PrometheusScrape.of("http://127.0.0.1:" + consolePort + "/metrics");
        assertThat(tables.value("lakeshift_table_data_files", "table", "shop.orders")).isPositive();
        assertThat(tables.value("lakeshift_table_snapshots", "table", "shop.orders")).isPositive();
        double eventsBefore = capture.value("lakeshift_capture_events_total", "source", "shop");
        double appliedBefore = apply.value("lakeshift_pipeline_rows_applied_total", "pipeline", "shop.orders");
        double streamedBefore = apply.value("lakeshift_pipeline_freshness_seconds", "pipeline", "shop.orders");

        // a change in the source reaches the freshness chart
        String chart = "#charts figure[data-pipeline='shop.orders']";
        long lastPoint = Long.parseLong(attribute(chart, "data-last-at"));
        try (Connection c = shop(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO shop.orders VALUES (41, 51.25, 'order 41')");
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            assertThat(Long.parseLong(attribute(chart, "data-last-at"))).isGreaterThan(lastPoint);
            assertThat(Double.parseDouble(attribute(chart, "data-last-rate"))).isPositive();
            assertThat(Long.parseLong(attribute(chart, "data-last-p50"))).isNotNegative();
            assertThat(cell("pipelines", "shop.orders", "applied")).isEqualTo(String.valueOf(applied("shop.orders")));
        });

        // and moves the metrics
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(PrometheusScrape.of("http://127.0.0.1:" + metricsPort + "/metrics")
                    .value("lakeshift_capture_events_total", "source", "shop")).isGreaterThan(eventsBefore);
            PrometheusScrape after = PrometheusScrape.of("http://127.0.0.1:" + (metricsPort + 1) + "/metrics");
            assertThat(after.value("lakeshift_pipeline_rows_applied_total", "pipeline", "shop.orders")).isGreaterThan(appliedBefore);
            assertThat(after.value("lakeshift_pipeline_freshness_seconds", "pipeline", "shop.orders")).isGreaterThan(streamedBefore);
        });

        // a column change the lake table cannot take stops that pipeline alone, and the page says why
        try (Connection c = shop(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE shop.gadgets ALTER COLUMN price TYPE text");
            st.execute("UPDATE shop.gadgets SET price = 'cheap' WHERE id = 1");
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            assertThat(cell("pipelines", "shop.gadgets", "state")).isEqualTo("FAILED");
            assertThat(cell("pipelines", "shop.gadgets", "lastError")).contains("price");
        });
        assertThat(cell("pipelines", "shop.orders", "state")).isEqualTo("RUNNING");
        assertThat(cli("pipelines", "status")).contains(cellText("pipelines", "shop.gadgets", "lastError"));
        assertThat(get("/api/pipelines").body()).contains("\"state\":\"FAILED\"");

        // a maintenance pass shows on the page and in the console's metrics
        assertThat(cli("maintain", "shop.orders")).contains("maintained 1 table(s)");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            assertThat(value("tables", "shop.orders", "lastMaintenance")).startsWith("shop.orders: data files ");
            assertThat(PrometheusScrape.of("http://127.0.0.1:" + consolePort + "/metrics")
                    .value("lakeshift_maintenance_last_run_timestamp_seconds", "table", "shop.orders")).isPositive();
        });

        assertThat(up.stop(Duration.ofMinutes(2))).isZero();

        // 'lakeshift console' on its own shows what the stopped parts last reported
        int port = FreePorts.one();
        try (LakeshiftCommand console = LakeshiftCommand.start(work.resolve("console.out"), Map.of("SHOP_PASSWORD", PASSWORD),
                "console", "--config", config.toString(), "--data-dir", dataDir.toString(), "--set", "console.port=" + port)) {
            console.awaitOutput("console: http://127.0.0.1:" + port + "/", Duration.ofMinutes(2));
            JsonNode overview = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/overview")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(overview.get("sources").get(0).get("state").asText()).isEqualTo("stopped");
            assertThat(overview.get("pipelines").findValuesAsText("state")).containsExactly("STOPPED", "FAILED");
            assertThat(overview.get("tables").findValuesAsText("name")).contains("shop.orders", "shop.gadgets");
            assertThat(overview.get("migrations").findValuesAsText("pipeline")).containsExactly("shop.orders");
            assertThat(console.stop(Duration.ofMinutes(1))).isZero();
        }
    }

    /** Each source, pipeline, table and migration on the page holds the figures the status commands print. */
    private void pageMatchesTheStatusCommands() throws Exception {
        JsonNode sources = JSON.readTree(cli("sources", "status", "--format", "json"));
        assertThat(sources).hasSize(1);
        for (JsonNode s : sources) {
            String name = s.get("name").asText();
            assertThat(value("sources", name, "events")).isEqualTo(s.get("counters").get("events").asText());
            assertThat(value("sources", name, "deadLetters")).isEqualTo(s.get("counters").get("deadLetters").asText());
            assertThat(value("sources", name, "kind")).isEqualTo(s.get("kind").asText());
        }
        String pipelines = cli("pipelines", "status");
        for (String pipeline : List.of("shop.orders", "shop.gadgets")) {
            String[] row = row(pipelines, pipeline);
            // PIPELINE TARGET STAGE STATE RECORDS_IN APPLIED DEAD_LETTERS ...
            assertThat(value("pipelines", pipeline, "stage")).isEqualTo(row[2]);
            assertThat(value("pipelines", pipeline, "state")).isEqualTo(row[3]);
            assertThat(value("pipelines", pipeline, "recordsIn")).isEqualTo(row[4]);
            assertThat(value("pipelines", pipeline, "applied")).isEqualTo(row[5]);
            assertThat(value("pipelines", pipeline, "deadLetters")).isEqualTo(row[6]);
        }
        String health = cli("tables", "health");
        List<String> pageTables = script("return Array.from(document.querySelectorAll('#tables tbody tr')).map(tr => tr.dataset.name)");
        assertThat(pageTables).contains("shop.orders", "shop.gadgets");
        for (String table : pageTables) {
            String[] row = row(health, table);
            // table, data files, avg size (2 words), small, delete files, snapshots, ...
            assertThat(value("tables", table, "dataFiles")).isEqualTo(row[1].replace(",", ""));
            assertThat(value("tables", table, "deleteFiles")).isEqualTo(row[5].replace(",", ""));
            assertThat(value("tables", table, "snapshots")).isEqualTo(row[6].replace(",", ""));
        }
        String migrations = cli("migrate", "status");
        String[] orders = row(migrations, "shop.orders");
        assertThat(orders[1]).isEqualTo("SHADOW");
        List<Map<String, String>> gates = gates("shop.orders");
        long passed = gates.stream().filter(g -> "true".equals(g.get("passed"))).count();
        assertThat(migrations).contains(passed + "/" + gates.size() + " pass");
    }

    private static String cli(String... args) throws Exception {
        return cli(0, args);
    }

    private static String cli(int expectedExit, String... args) throws Exception {
        String[] full = new String[args.length + 4];
        System.arraycopy(args, 0, full, 0, args.length);
        System.arraycopy(new String[] {"--config", config.toString(), "--data-dir", dataDir.toString()}, 0, full, args.length, 4);
        LakeshiftCommand.Result result = LakeshiftCommand.run(work.resolve("cli-" + args[0] + ".out"),
                Map.of("SHOP_PASSWORD", PASSWORD), Duration.ofMinutes(3), full);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(expectedExit);
        String out = result.output();
        int json = out.indexOf('[');
        return args[args.length - 1].equals("json") && json >= 0 ? out.substring(json) : out;
    }

    /** The words of the text-table row that starts with {@code name}. */
    private static String[] row(String table, String name) {
        return table.lines().map(String::strip).filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> l.split("\\s+")).orElseThrow(() -> new AssertionError("no row " + name + " in\n" + table));
    }

    private static String value(String section, String name, String field) {
        return attribute("#" + section + " tr[data-name='" + name + "'] td[data-field='" + field + "']", "data-value");
    }

    private static String cell(String section, String name, String field) {
        return value(section, name, field);
    }

    private static String cellText(String section, String name, String field) {
        return text("#" + section + " tr[data-name='" + name + "'] td[data-field='" + field + "']");
    }

    // The page redraws itself every two seconds: each read is one script, so it never holds an element that went stale.

    private static String attribute(String selector, String attribute) {
        String value = script("const e = document.querySelector(arguments[0]); return e === null ? null : e.getAttribute(arguments[1])",
                selector, attribute);
        assertThat(value).as(selector + " @" + attribute).isNotNull();
        return value;
    }

    private static String text(String selector) {
        String value = script("const e = document.querySelector(arguments[0]); return e === null ? null : e.textContent", selector);
        assertThat(value).as(selector).isNotNull();
        return value;
    }

    /** The gates of a pipeline's migration on the page: gate, passed ("true"/"false"), evidence. */
    private static List<Map<String, String>> gates(String pipeline) {
        return script("return Array.from(document.querySelectorAll(\"#migrations .migration[data-name='\" + arguments[0]"
                + " + \"'] li.gate\")).map(g => ({gate: g.dataset.gate, passed: g.dataset.passed,"
                + " evidence: g.querySelector('[data-field=evidence]').textContent}))", pipeline);
    }

    @SuppressWarnings("unchecked")
    private static <T> T script(String script, Object... args) {
        return (T) ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static long applied(String pipeline) throws Exception {
        for (JsonNode p : JSON.readTree(get("/api/pipelines").body())) {
            if (p.get("name").asText().equals(pipeline)) {
                return p.get("applied").isNull() ? -1 : p.get("applied").asLong();
            }
        }
        return -1;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the flags a sandboxed CI machine without network needs: no sandbox as root, no background calls home
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Connection shop() throws Exception {
        return TeamPostgres.connect(source, "shop_cdc", PASSWORD, "shopdb");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (up != null) {
            up.close();
        }
        if (source != null) {
            source.close();
        }
    }
}
