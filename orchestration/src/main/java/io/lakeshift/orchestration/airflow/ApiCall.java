package io.lakeshift.orchestration.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One REST request, described well enough to send it, retry it and name it in an error.
 *
 * @param method HTTP method
 * @param path path below the base URL, already encoded
 * @param query query parameters in order, not encoded
 * @param body JSON body, or null
 * @param dagId the DAG the call is about, for error messages; null if none
 * @param runId the run the call is about, for error messages; null if none
 * @param sensitive true when the body carries credentials: Airflow's answer is then never quoted in an error
 */
record ApiCall(String method, String path, Map<String, String> query, JsonNode body, String dagId, String runId,
        boolean sensitive) {

    ApiCall {
        query = query == null ? Map.of() : new LinkedHashMap<>(query);
    }

    static ApiCall get(String path, String dagId, String runId) {
        return new ApiCall("GET", path, null, null, dagId, runId, false);
    }

    ApiCall withQuery(Map<String, String> parameters) {
        return new ApiCall(method, path, parameters, body, dagId, runId, sensitive);
    }

    /** The path and query as sent, for messages; the query holds no secrets. */
    String target() {
        if (query.isEmpty()) {
            return path;
        }
        StringBuilder sb = new StringBuilder(path).append('?');
        query.forEach((k, v) -> {
            if (sb.charAt(sb.length() - 1) != '?') {
                sb.append('&');
            }
            sb.append(encode(k)).append('=').append(encode(v));
        });
        return sb.toString();
    }

    /** Percent-encodes one path segment: run ids hold ':' and '+'. */
    static String segment(String value) {
        return encode(value);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
