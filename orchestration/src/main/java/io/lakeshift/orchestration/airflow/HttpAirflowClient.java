package io.lakeshift.orchestration.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link AirflowClient} over Airflow's REST API, v1 or v2 as the dialect says. */
final class HttpAirflowClient implements AirflowClient {

    static final int DEFAULT_PAGE_SIZE = 100;
    private static final Logger LOG = LoggerFactory.getLogger(HttpAirflowClient.class);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final AirflowHttp http;
    private final ApiDialect api;
    private final int pageSize;
    private final Clock clock;

    HttpAirflowClient(AirflowHttp http, ApiDialect api, int pageSize, Clock clock) {
        this.http = http;
        this.api = api;
        this.pageSize = pageSize;
        this.clock = clock;
    }

    @Override
    public List<DagInfo> listDags() {
        return pages(ApiCall.get(api.dags(), null, null), Map.of(), Integer.MAX_VALUE, "dags", api::dag);
    }

    @Override
    public DagInfo getDag(String dagId) {
        return api.dag(http.send(ApiCall.get(api.dag(requireId(dagId, "dagId")), dagId, null)));
    }

    @Override
    public DagInfo pause(String dagId) {
        return setPaused(dagId, true);
    }

    @Override
    public DagInfo unpause(String dagId) {
        return setPaused(dagId, false);
    }

    private DagInfo setPaused(String dagId, boolean paused) {
        ApiCall call = new ApiCall("PATCH", api.dag(requireId(dagId, "dagId")), Map.of("update_mask", "is_paused"),
                Json.object().put("is_paused", paused), dagId, null, false);
        DagInfo dag = api.dag(http.send(call));
        LOG.info("Airflow DAG '{}' {}", dagId, paused ? "paused" : "unpaused");
        return dag;
    }

    @Override
    public DagRun trigger(String dagId, DagRunRequest request) {
        requireId(dagId, "dagId");
        Objects.requireNonNull(request, "request");
        String runId = request.runId() != null ? request.runId() : newRunId();
        ApiCall call = new ApiCall("POST", api.runs(dagId), null, api.triggerBody(runId, request), dagId, runId, false);
        try {
            DagRun run = api.dagRun(http.send(call));
            LOG.info("Airflow DAG '{}' triggered: run '{}'", dagId, run.runId());
            return run;
        } catch (DagRunConflictException e) {
            if (e.attempts() > 1) {
                // an earlier attempt whose answer was lost may have created the run: that one is ours
                DagRun existing = findRun(dagId, runId);
                if (existing != null) {
                    LOG.info("Airflow DAG '{}': run '{}' was created by an earlier attempt", dagId, runId);
                    return existing;
                }
            }
            throw e;
        }
    }

    private DagRun findRun(String dagId, String runId) {
        try {
            return getDagRun(dagId, runId);
        } catch (DagRunNotFoundException e) {
            return null;
        }
    }

    @Override
    public DagRun getDagRun(String dagId, String runId) {
        requireId(dagId, "dagId");
        requireId(runId, "runId");
        return api.dagRun(http.send(ApiCall.get(api.run(dagId, runId), dagId, runId)));
    }

    @Override
    public List<TaskInstance> listTaskInstances(String dagId, String runId) {
        requireId(dagId, "dagId");
        requireId(runId, "runId");
        return pages(ApiCall.get(api.taskInstances(dagId, runId), dagId, runId), Map.of(), Integer.MAX_VALUE, "task_instances",
                api::taskInstance);
    }

    @Override
    public List<DagRun> listDagRuns(String dagId, int limit) {
        requireId(dagId, "dagId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        return pages(ApiCall.get(api.runs(dagId), dagId, null), Map.of("order_by", api.newestRunsFirst()), limit, "dag_runs",
                api::dagRun);
    }

    @Override
    public DagRun waitForDagRun(String dagId, String runId, Duration timeout, Duration pollInterval) {
        Objects.requireNonNull(timeout, "timeout");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
        Instant deadline = clock.instant().plus(timeout);
        DagRunState reported = null;
        while (true) {
            DagRun run = getDagRun(dagId, runId);
            if (run.state() != reported) {
                LOG.info("Airflow DAG '{}' run '{}' is {}", dagId, runId, run.state().wireName());
                reported = run.state();
            }
            if (run.state().terminal()) {
                return run;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new DagRunTimeoutException("Airflow DAG '" + dagId + "' run '" + runId + "' still "
                        + run.state().wireName() + " after " + timeout.toSeconds() + " s", run);
            }
            sleep(left.compareTo(pollInterval) < 0 ? left : pollInterval, dagId);
        }
    }

    /**
     * Reads pages of a collection until {@code max} items or the end; Airflow caps a page at its own
     * maximum whatever the limit asks, so the next offset is what was received.
     */
    private <T> List<T> pages(ApiCall first, Map<String, String> filters, int max, String field,
            Function<JsonNode, T> reader) {
        List<T> items = new ArrayList<>();
        while (true) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(Math.min(pageSize, max - items.size())));
            query.put("offset", Integer.toString(items.size()));
            query.putAll(filters);
            JsonNode page = http.send(first.withQuery(query));
            JsonNode batch = page.path(field);
            for (JsonNode node : batch) {
                if (items.size() < max) {
                    items.add(reader.apply(node));
                }
            }
            long total = page.path("total_entries").asLong(Long.MAX_VALUE);
            if (batch.isEmpty() || items.size() >= max || items.size() >= total) {
                return items;
            }
        }
    }

    private String newRunId() {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return "lakeshift__" + RUN_ID_TIME.format(clock.instant()) + "_" + HexFormat.of().formatHex(random);
    }

    private static String requireId(String id, String name) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return id;
    }

    private static void sleep(Duration duration, String dagId) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AirflowException("interrupted while waiting for a run of DAG '" + dagId + "'", dagId,
                    AirflowException.NO_STATUS, 1, e);
        }
    }
}
