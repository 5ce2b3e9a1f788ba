package io.lakeshift.orchestration.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Turns an unsuccessful answer into the exception a caller can act on, with a message an operator can read. */
final class ErrorMapper {

    private static final int MAX_DETAIL = 300;

    private final Redactor redactor;

    ErrorMapper(Redactor redactor) {
        this.redactor = redactor;
    }

    AirflowException map(ApiCall call, int status, String body, int attempts, Authenticator auth) {
        String where = "(HTTP " + status + " on " + call.method() + " " + call.path() + ")";
        String detail = call.sensitive() ? null : detail(body);
        String suffix = detail == null ? "" : ": " + detail;
        String dag = call.dagId() == null ? "" : "DAG '" + call.dagId() + "' ";
        String message;
        AirflowException error;
        switch (status) {
            case 401, 403 -> {
                String refused = status == 401 ? "refused the credentials" : "denied the permission";
                String subject = call.dagId() == null ? "" : " for " + dag.strip();
                message = "Airflow " + refused + subject + " " + where + "; sent " + auth.describe() + suffix;
                error = new AirflowUnauthorizedException(scrub(message), call.dagId(), status, attempts);
            }
            case 404 -> {
                // a POST creates the run: its 404 is about the DAG
                if (call.runId() != null && !call.method().equals("POST")) {
                    message = "Airflow has no run '" + call.runId() + "' of " + dag + where + suffix;
                    error = new DagRunNotFoundException(scrub(message), call.dagId(), call.runId(), attempts);
                } else if (call.dagId() != null) {
                    message = "Airflow has no " + dag + where + suffix;
                    error = new DagNotFoundException(scrub(message), call.dagId(), attempts);
                } else {
                    message = "Airflow has no such endpoint " + where + ": is airflow.api (v1 or v2) right for this Airflow?";
                    error = new AirflowException(scrub(message), null, status, attempts, null);
                }
            }
            case 409 -> {
                String run = call.runId() == null ? "" : " '" + call.runId() + "'";
                message = "Airflow refused to create run" + run + " of " + dag + where
                        + ": a run with this run id or logical date exists" + suffix;
                error = new DagRunConflictException(scrub(message), call.dagId(), attempts);
            }
            default -> {
                String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
                String subject = call.dagId() == null ? "" : " for " + dag.strip();
                message = "Airflow call failed" + subject + " " + where + tries + suffix;
                error = new AirflowException(scrub(message), call.dagId(), status, attempts, null);
            }
        }
        return error;
    }

    AirflowUnreachableException unreachable(ApiCall call, String baseUrl, long timeoutMs, int attempts, IOException cause) {
        String dag = call.dagId() == null ? "" : " for DAG '" + call.dagId() + "'";
        String reason = cause instanceof java.net.http.HttpTimeoutException
                ? "no answer within " + timeoutMs + " ms (airflow.timeoutMs)"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        String message = "Airflow at " + baseUrl + " is unreachable" + dag + " (no HTTP status, " + call.method() + " "
                + call.path() + ", " + attempts + " attempt" + (attempts > 1 ? "s" : "") + "): " + reason;
        return new AirflowUnreachableException(scrub(message), call.dagId(), attempts, cause);
    }

    String scrub(String text) {
        return redactor.scrub(text);
    }

    /** Airflow 2 answers RFC 7807 ({@code title}, {@code detail}); Airflow 3 FastAPI's {@code detail}. */
    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String text;
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            JsonNode detail = json.get("detail");
            if (detail == null || detail.isNull()) {
                detail = json.get("title");
            }
            text = detail == null || detail.isNull() ? body : detail.isTextual() ? detail.asText() : detail.toString();
        } catch (IOException e) {
            text = body;
        }
        text = text.strip().replaceAll("\\s+", " ");
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
    }
}
