package io.lakeshift.orchestration.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process Airflow (2 with {@code /api/v1}, or 3 with {@code /api/v2} and {@code POST /auth/token})
 * that implements the endpoints the client uses as the spec files define them, checks every request
 * it receives and every response it sends against that spec ({@link #violations()}), and can be told
 * to fail: an HTTP status, a slow answer, an answer lost after the work was done.
 */
final class FakeAirflow implements AutoCloseable {

    static final String USER = "lakeshift-bot";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter AIRFLOW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private final String api;
    private final AirflowSpec spec;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Dag> dags = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger runSequence = new AtomicInteger();

    private volatile String password;
    private volatile String staticToken;
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile boolean echoTokenRequests;

    /** One request as the server saw it. */
    record Received(String method, String path, String query, String authorization, String body) {
    }

    /**
     * A scripted failure for the next request matching method and path suffix.
     *
     * @param status the status to answer instead of the real one; 0 to answer normally (after the delay)
     * @param delayMs how long to wait before answering
     * @param afterWork true to do the request's work first, then wait: a client that times out has lost the answer
     * @param retryAfter a Retry-After header value, or null
     */
    record Fault(String method, String pathSuffix, int status, long delayMs, boolean afterWork, String retryAfter) {

        static Fault status(String method, String pathSuffix, int status) {
            return new Fault(method, pathSuffix, status, 0, false, null);
        }

        static Fault slow(String method, String pathSuffix, long delayMs) {
            return new Fault(method, pathSuffix, 0, delayMs, false, null);
        }

        static Fault lostAnswer(String method, String pathSuffix, long delayMs) {
            return new Fault(method, pathSuffix, 0, delayMs, true, null);
        }

        Fault withRetryAfter(String value) {
            return new Fault(method, pathSuffix, status, delayMs, afterWork, value);
        }
    }

    private record Reply(int status, JsonNode body, Map<String, String> headers, boolean checked) {

        static Reply json(int status, JsonNode body) {
            return new Reply(status, body, Map.of(), true);
        }
    }

    private static final class Dag {
        final String id;
        volatile boolean paused;
        volatile String outcome = "success";
        volatile boolean hold;
        final List<Run> runs = new CopyOnWriteArrayList<>();

        Dag(String id, boolean paused) {
            this.id = id;
            this.paused = paused;
        }
    }

    private static final class Run {
        final String runId;
        final Instant logicalDate;
        final Instant runAfter;
        final JsonNode conf;
        final int sequence;
        volatile String state = "queued";
        volatile Instant start;
        volatile Instant end;

        Run(String runId, Instant logicalDate, Instant runAfter, JsonNode conf, int sequence) {
            this.runId = runId;
            this.logicalDate = logicalDate;
            this.runAfter = runAfter;
            this.conf = conf;
            this.sequence = sequence;
        }
    }

    private FakeAirflow(String api) throws IOException {
        this.api = api;
        this.spec = AirflowSpec.of(api);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FakeAirflow start(String api) {
        try {
            return new FakeAirflow(api);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Airflow", e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- set-up ----

    FakeAirflow requirePassword(String secret) {
        this.password = secret;
        return this;
    }

    FakeAirflow acceptStaticToken(String token) {
        this.staticToken = token;
        return this;
    }

    FakeAirflow tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    /** Airflow 3 answers a token request it cannot read with a 422 that quotes the request body back. */
    FakeAirflow echoTokenRequestsIn422() {
        this.echoTokenRequests = true;
        return this;
    }

    FakeAirflow dag(String dagId, boolean paused) {
        dags.put(dagId, new Dag(dagId, paused));
        return this;
    }

    /** Runs of this DAG end in failure. */
    FakeAirflow failingRuns(String dagId) {
        dags.get(dagId).outcome = "failed";
        return this;
    }

    /** Runs of this DAG never finish. */
    FakeAirflow endlessRuns(String dagId) {
        dags.get(dagId).hold = true;
        return this;
    }

    FakeAirflow fault(Fault fault) {
        faults.add(fault);
        return this;
    }

    /** Every token issued so far stops working, as when they expire. */
    void expireTokens() {
        tokens.clear();
    }

    void changePassword(String secret) {
        this.password = secret;
    }

    // ---- what happened ----

    List<String> violations() {
        return List.copyOf(violations);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> received(String method, String pathSuffix) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix)).toList();
    }

    /** Token requests received, answered or failed. */
    int tokenRequests() {
        return received("POST", PasswordTokenAuthenticator.TOKEN_PATH).size();
    }

    Set<String> issuedTokens() {
        return Set.copyOf(tokens.keySet());
    }

    boolean paused(String dagId) {
        return dags.get(dagId).paused;
    }

    int runCount(String dagId) {
        return dags.get(dagId).runs.size();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the server ----

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            received.add(new Received(method, path, query, authorization, body));
            Fault fault = takeFault(method, path);
            Reply reply;
            if (fault != null && !fault.afterWork() && pause(fault.delayMs()) && fault.status() > 0) {
                reply = injected(fault);
            } else {
                reply = answer(method, path, query, exchange.getRequestHeaders(), body);
                if (fault != null && fault.afterWork()) {
                    pause(fault.delayMs());
                }
            }
            if (reply.checked()) {
                spec.checkResponse(method, path, reply.status(), reply.body().toString()).forEach(problem ->
                        violations.add("response " + reply.status() + " to " + method + " " + path + ": " + problem));
            }
            try {
                send(exchange, reply);
            } catch (IOException e) {
                // the client gave up waiting (a timeout test): nobody is left to answer
            }
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // recorded, so the test fails on it rather than on the client's retries that follow
            violations.add("the fake Airflow failed: " + e);
        }
    }

    private Reply answer(String method, String path, String query, Map<String, List<String>> headers, String body) {
        if ("v2".equals(api) && path.equals(PasswordTokenAuthenticator.TOKEN_PATH)) {
            return token(method, headers, body);
        }
        spec.checkRequest(method, path, parseQuery(query), headers, body)
                .forEach(problem -> violations.add("request " + method + " " + path + ": " + problem));
        if (!authorized(headers.getOrDefault("Authorization", List.of()))) {
            return error(401, "Not authenticated");
        }
        String prefix = "/api/" + api;
        if (!path.startsWith(prefix + "/")) {
            return error(404, "Not Found");
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.substring(prefix.length() + 1).split("/")) {
            parts.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
        }
        return route(method, parts, parseQuery(query), body);
    }

    private Reply route(String method, List<String> p, Map<String, List<String>> query, String body) {
        if (p.isEmpty() || !p.get(0).equals("dags")) {
            return error(404, "Not Found");
        }
        if (p.size() == 1 && method.equals("GET")) {
            List<JsonNode> all = dags.values().stream().map(this::dagJson).toList();
            return Reply.json(200, page("dags", all, query));
        }
        Dag dag = dags.get(p.get(1));
        if (p.size() == 2) {
            if (dag == null) {
                return error(404, "The Dag with ID: `" + p.get(1) + "` was not found");
            }
            if (method.equals("GET")) {
                return Reply.json(200, dagJson(dag));
            }
            if (method.equals("PATCH")) {
                dag.paused = readTree(body).path("is_paused").asBoolean();
                return Reply.json(200, dagJson(dag));
            }
        }
        if (p.size() == 3 && p.get(2).equals("dagRuns")) {
            if (dag == null) {
                // Airflow 2 lists no runs for an unknown DAG; its spec declares no 404 there
                return method.equals("GET") && api.equals("v1")
                        ? Reply.json(200, page("dag_runs", List.of(), query))
                        : error(404, "The Dag with ID: `" + p.get(1) + "` was not found");
            }
            if (method.equals("POST")) {
                return trigger(dag, readTree(body));
            }
            if (method.equals("GET")) {
                List<JsonNode> runs = dag.runs.stream()
                        .sorted(Comparator.comparingInt((Run r) -> r.sequence).reversed())
                        .map(r -> runJson(dag, r))
                        .toList();
                return Reply.json(200, page("dag_runs", runs, query));
            }
        }
        if (p.size() >= 4 && p.get(2).equals("dagRuns")) {
            Run run = dag == null ? null : dag.runs.stream().filter(r -> r.runId.equals(p.get(3))).findFirst().orElse(null);
            if (p.size() == 5 && p.get(4).equals("taskInstances") && method.equals("GET")) {
                if (run == null) {
                    return api.equals("v1") ? Reply.json(200, page("task_instances", List.of(), query))
                            : error(404, "DagRun with dag_id: `" + p.get(1) + "` and run_id: `" + p.get(3) + "` was not found");
                }
                return Reply.json(200, page("task_instances", List.of(taskJson(dag, run)), query));
            }
            if (p.size() == 4 && method.equals("GET")) {
                if (run == null) {
                    return error(404, "The DagRun with dag_id: `" + p.get(1) + "` and run_id: `" + p.get(3) + "` was not found");
                }
                advance(dag, run);
                return Reply.json(200, runJson(dag, run));
            }
        }
        return error(405, "Method Not Allowed");
    }

    private Reply trigger(Dag dag, JsonNode body) {
        String runId = body.path("dag_run_id").asText(null);
        Instant logical;
        try {
            logical = body.hasNonNull("logical_date") ? OffsetDateTime.parse(body.get("logical_date").asText()).toInstant()
                    : api.equals("v1") ? Instant.now() : null;
        } catch (DateTimeParseException e) {
            return error(400, "logical_date is not a date-time");
        }
        for (Run existing : dag.runs) {
            if (existing.runId.equals(runId) || logical != null && logical.equals(existing.logicalDate)) {
                return error(409, "A DAG Run already exists for DAG " + dag.id + " with run id " + existing.runId);
            }
        }
        if (runId == null) {
            runId = "manual__" + UUID.randomUUID();
        }
        Run run = new Run(runId, logical, Instant.now(), body.path("conf").isObject() ? body.get("conf") : JSON.createObjectNode(),
                runSequence.incrementAndGet());
        dag.runs.add(run);
        return Reply.json(200, runJson(dag, run));
    }

    /** Each look at a run moves it on: queued, running, then its outcome (unless held). */
    private static void advance(Dag dag, Run run) {
        switch (run.state) {
            case "queued" -> {
                run.state = "running";
                run.start = Instant.now();
            }
            case "running" -> {
                if (!dag.hold) {
                    run.state = dag.outcome;
                    run.end = Instant.now();
                }
            }
            default -> {
                // finished runs stay finished
            }
        }
    }

    private Reply token(String method, Map<String, List<String>> headers, String body) {
        if (!method.equals("POST")) {
            violations.add("token request with " + method);
            return error(405, "Method Not Allowed");
        }
        String contentType = headers.getOrDefault("Content-type", List.of("")).get(0);
        if (!contentType.startsWith("application/json")) {
            violations.add("token request with content type '" + contentType + "'");
        }
        JsonNode request = readTree(body);
        if (echoTokenRequests) {
            ObjectNode detail = JSON.createObjectNode().put("type", "missing").put("msg", "Field required");
            detail.putArray("loc").add("body").add("grant_type");
            detail.set("input", request);
            ObjectNode answer = JSON.createObjectNode();
            answer.putArray("detail").add(detail);
            return new Reply(422, answer, Map.of(), false);
        }
        Iterator<String> names = request.fieldNames();
        List<String> fields = new ArrayList<>();
        names.forEachRemaining(fields::add);
        if (!fields.stream().sorted().toList().equals(List.of("password", "username"))
                || !request.get("username").isTextual() || !request.get("password").isTextual()) {
            violations.add("token request body has fields " + fields);
        }
        if (!USER.equals(request.path("username").asText()) || !Objects.equals(password, request.path("password").asText())) {
            return new Reply(401, JSON.createObjectNode().put("detail", "Invalid credentials"), Map.of(), false);
        }
        long exp = Instant.now().plus(tokenLifetime).getEpochSecond();
        String token = jwt(USER, exp);
        tokens.put(token, exp);
        return new Reply(201, JSON.createObjectNode().put("access_token", token), Map.of(), false);
    }

    private boolean authorized(List<String> authorization) {
        if (password == null && staticToken == null) {
            return true;
        }
        String header = authorization.isEmpty() ? "" : authorization.get(0);
        if (staticToken != null && header.equals("Bearer " + staticToken)) {
            return true;
        }
        if (password == null) {
            return false;
        }
        if (api.equals("v1")) {
            String basic = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
            return header.equals("Basic " + basic);
        }
        if (!header.startsWith("Bearer ")) {
            return false;
        }
        Long exp = tokens.get(header.substring("Bearer ".length()));
        return exp != null && exp > Instant.now().getEpochSecond();
    }

    // ---- JSON as each version writes it ----

    private JsonNode dagJson(Dag dag) {
        ObjectNode node = JSON.createObjectNode()
                .put("dag_id", dag.id)
                .put("dag_display_name", dag.id)
                .put("description", "the legacy batch job " + dag.id)
                .put("file_token", "Ii9maWxlcy9kYWdzLyI")
                .put("fileloc", "/opt/airflow/dags/" + dag.id + ".py")
                .put("is_paused", dag.paused)
                .put("has_import_errors", false)
                .put("has_task_concurrency_limits", false)
                .put("max_active_tasks", 16)
                .put("max_consecutive_failed_dag_runs", 0);
        node.putArray("owners").add("data-eng");
        ArrayNode tags = node.putArray("tags");
        if (api.equals("v1")) {
            node.put("is_active", true).put("is_subdag", false).put("timetable_description", "At 00:00");
            node.putObject("schedule_interval").put("__type", "CronExpression").put("value", "0 0 * * *");
            tags.addObject().put("name", "legacy");
            tags.addObject().put("name", "etl");
        } else {
            node.put("is_stale", false).put("timetable_partitioned", false).put("timetable_summary", "0 0 * * *");
            tags.addObject().put("name", "legacy").put("dag_id", dag.id).put("dag_display_name", dag.id);
            tags.addObject().put("name", "etl").put("dag_id", dag.id).put("dag_display_name", dag.id);
        }
        return node;
    }

    private JsonNode runJson(Dag dag, Run run) {
        ObjectNode node = JSON.createObjectNode()
                .put("dag_id", dag.id)
                .put("dag_run_id", run.runId)
                .put("state", run.state)
                .put("run_type", "manual")
                .put("start_date", time(run.start))
                .put("end_date", time(run.end))
                .put("logical_date", time(run.logicalDate))
                .put("data_interval_start", time(run.logicalDate))
                .put("data_interval_end", time(run.logicalDate));
        node.set("conf", run.conf);
        if (api.equals("v1")) {
            node.put("execution_date", time(run.logicalDate)).put("external_trigger", true);
        } else {
            node.put("run_after", time(run.runAfter)).put("dag_display_name", dag.id).put("triggered_by", "rest_api");
            node.putArray("dag_versions");
        }
        return node;
    }

    private JsonNode taskJson(Dag dag, Run run) {
        String state = switch (run.state) {
            case "queued" -> null;
            case "running" -> "running";
            default -> run.state;
        };
        ObjectNode node = JSON.createObjectNode()
                .put("task_id", "lakeshift_batch_run")
                .put("dag_id", dag.id)
                .put("dag_run_id", run.runId)
                .put("map_index", -1)
                .put("try_number", state == null ? 0 : 1)
                .put("max_tries", 1)
                .put("state", state)
                .put("start_date", time(run.start))
                .put("end_date", time(run.end))
                .put("operator", "BashOperator")
                .put("pool", "default_pool")
                .put("pool_slots", 1)
                .put("executor_config", "{}");
        if (run.end != null) {
            node.put("duration", Duration.between(run.start, run.end).toMillis() / 1000.0);
        }
        if (api.equals("v1")) {
            node.put("execution_date", time(run.logicalDate));
        } else {
            node.put("id", UUID.nameUUIDFromBytes((dag.id + run.runId).getBytes(StandardCharsets.UTF_8)).toString())
                    .put("run_after", time(run.runAfter))
                    .put("logical_date", time(run.logicalDate))
                    .put("task_display_name", "lakeshift_batch_run")
                    .put("dag_display_name", dag.id);
        }
        return node;
    }

    private static JsonNode page(String field, List<JsonNode> items, Map<String, List<String>> query) {
        int limit = Integer.parseInt(first(query, "limit", "100"));
        int offset = Integer.parseInt(first(query, "offset", "0"));
        ObjectNode node = JSON.createObjectNode();
        ArrayNode array = node.putArray(field);
        items.stream().skip(offset).limit(limit).forEach(array::add);
        node.put("total_entries", items.size());
        return node;
    }

    private Reply error(int status, String detail) {
        ObjectNode body = JSON.createObjectNode();
        if (api.equals("v1")) {
            String title = switch (status) {
                case 401 -> "Unauthorized";
                case 404 -> "Not Found";
                case 409 -> "Conflict";
                default -> "Error";
            };
            body.put("type", "https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors")
                    .put("title", title).put("status", status).put("detail", detail);
        } else {
            body.put("detail", detail);
        }
        return Reply.json(status, body);
    }

    private Reply injected(Fault fault) {
        Map<String, String> headers = fault.retryAfter() == null ? Map.of() : Map.of("Retry-After", fault.retryAfter());
        JsonNode body = JSON.createObjectNode().put("detail", "injected failure " + fault.status());
        // the spec declares no 5xx answers: an injected failure is not checked against it
        return new Reply(fault.status(), body, headers, false);
    }

    private Fault takeFault(String method, String path) {
        for (Fault fault : faults) {
            if (fault.method().equals(method) && path.endsWith(fault.pathSuffix()) && faults.remove(fault)) {
                return fault;
            }
        }
        return null;
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String jwt(String subject, long exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = JSON.createObjectNode().put("sub", subject).put("exp", exp).put("jti", UUID.randomUUID().toString())
                .toString();
        String signature = b64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        return header + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }

    private static String time(Instant instant) {
        return instant == null ? null : AIRFLOW_TIME.format(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String first(Map<String, List<String>> query, String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    private static JsonNode readTree(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
