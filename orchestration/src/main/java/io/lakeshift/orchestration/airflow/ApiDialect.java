package io.lakeshift.orchestration.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Where Airflow 2's {@code /api/v1} and Airflow 3's {@code /api/v2} differ: the path prefix, the
 * field names (execution_date / logical_date, is_active / is_stale, schedule_interval /
 * timetable_summary), the trigger body and the sort key of runs.
 */
abstract class ApiDialect {

    abstract String prefix();

    abstract DagInfo dag(JsonNode node);

    abstract DagRun dagRun(JsonNode node);

    abstract ObjectNode triggerBody(String runId, DagRunRequest request);

    /** The {@code order_by} that lists a DAG's runs newest first. */
    abstract String newestRunsFirst();

    final String dags() {
        return prefix() + "/dags";
    }

    final String dag(String dagId) {
        return dags() + "/" + ApiCall.segment(dagId);
    }

    final String runs(String dagId) {
        return dag(dagId) + "/dagRuns";
    }

    final String run(String dagId, String runId) {
        return runs(dagId) + "/" + ApiCall.segment(runId);
    }

    final String taskInstances(String dagId, String runId) {
        return run(dagId, runId) + "/taskInstances";
    }

    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /** The fields read here are named alike in both versions. */
    final TaskInstance taskInstance(JsonNode node) {
        return new TaskInstance(
                Json.text(node, "task_id"),
                Json.integer(node, "map_index", -1),
                Json.text(node, "state"),
                Json.integer(node, "try_number", 0),
                Json.instant(node, "start_date"),
                Json.instant(node, "end_date"),
                Json.number(node, "duration"),
                Json.text(node, "operator"));
    }

    static ApiDialect of(String api) {
        return switch (api) {
            case "v1" -> new V1();
            case "v2" -> new V2();
            default -> throw new IllegalArgumentException("unknown Airflow API '" + api + "'");
        };
    }

    /** Airflow 2.x, {@code /api/v1}. */
    static final class V1 extends ApiDialect {

        @Override
        String prefix() {
            return "/api/v1";
        }

        @Override
        DagInfo dag(JsonNode node) {
            JsonNode interval = node.path("schedule_interval");
            String schedule = "CronExpression".equals(Json.text(interval, "__type"))
                    ? Json.text(interval, "value")
                    : Json.text(node, "timetable_description");
            return new DagInfo(Json.text(node, "dag_id"), Json.text(node, "description"), Json.bool(node, "is_paused", false),
                    Json.bool(node, "is_active", true), schedule, Json.names(node, "tags"));
        }

        @Override
        DagRun dagRun(JsonNode node) {
            Instant logical = Json.instant(node, "logical_date");
            return new DagRun(Json.text(node, "dag_id"), Json.text(node, "dag_run_id"),
                    DagRunState.fromWire(Json.text(node, "state")),
                    logical != null ? logical : Json.instant(node, "execution_date"),
                    Json.instant(node, "start_date"), Json.instant(node, "end_date"), Json.text(node, "run_type"),
                    Json.map(node, "conf"));
        }

        @Override
        ObjectNode triggerBody(String runId, DagRunRequest request) {
            ObjectNode body = Json.object().put("dag_run_id", runId);
            body.set("conf", Json.MAPPER.valueToTree(request.conf()));
            // logical_date (2.2+) rather than the deprecated execution_date; omitted, Airflow 2 takes "now"
            if (request.logicalDate() != null) {
                body.put("logical_date", format(request.logicalDate()));
            }
            if (request.note() != null) {
                body.put("note", request.note());
            }
            return body;
        }

        @Override
        String newestRunsFirst() {
            return "-execution_date";
        }
    }

    /** Airflow 3.x, {@code /api/v2}. */
    static final class V2 extends ApiDialect {

        @Override
        String prefix() {
            return "/api/v2";
        }

        @Override
        DagInfo dag(JsonNode node) {
            return new DagInfo(Json.text(node, "dag_id"), Json.text(node, "description"), Json.bool(node, "is_paused", false),
                    !Json.bool(node, "is_stale", false), Json.text(node, "timetable_summary"), Json.names(node, "tags"));
        }

        @Override
        DagRun dagRun(JsonNode node) {
            return new DagRun(Json.text(node, "dag_id"), Json.text(node, "dag_run_id"),
                    DagRunState.fromWire(Json.text(node, "state")), Json.instant(node, "logical_date"),
                    Json.instant(node, "start_date"), Json.instant(node, "end_date"), Json.text(node, "run_type"),
                    Json.map(node, "conf"));
        }

        @Override
        ObjectNode triggerBody(String runId, DagRunRequest request) {
            ObjectNode body = Json.object().put("dag_run_id", runId);
            body.set("conf", Json.MAPPER.valueToTree(request.conf()));
            // Airflow 3.0 requires the key, null meaning "no logical date"
            if (request.logicalDate() != null) {
                body.put("logical_date", format(request.logicalDate()));
            } else {
                body.putNull("logical_date");
            }
            if (request.note() != null) {
                body.put("note", request.note());
            }
            return body;
        }

        @Override
        String newestRunsFirst() {
            // manual runs of Airflow 3 may have no logical date; every run has a run_after
            return "-run_after";
        }
    }
}
