package io.lakeshift.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeshift.core.json.Json;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.sql.streaming.SourceProgress;

/**
 * A pipeline's Kafka lag per partition, from the progress Spark reports after every trigger: the
 * newest offset in Kafka ({@code latestOffset}) minus the offset the batch read up to
 * ({@code endOffset}). No consumer of its own: the Kafka source asks for the newest offsets anyway.
 */
final class KafkaLag {

    private KafkaLag() {
    }

    /** Records behind, by partition, of one source's progress; empty when Spark did not report both offsets. */
    static Map<Integer, Long> of(SourceProgress source) {
        return between(source.latestOffset(), source.endOffset());
    }

    /** @param latest and {@code end}: Spark's JSON of offsets, {@code {"topic":{"0":2378}}} */
    static Map<Integer, Long> between(String latest, String end) {
        Map<Integer, Long> lag = new HashMap<>();
        if (latest == null || end == null) {
            return lag;
        }
        Map<Integer, Long> read = offsets(end);
        offsets(latest).forEach((partition, newest) -> {
            Long upTo = read.get(partition);
            if (upTo != null) {
                lag.put(partition, Math.max(0, newest - upTo));
            }
        });
        return lag;
    }

    private static Map<Integer, Long> offsets(String json) {
        Map<Integer, Long> out = new HashMap<>();
        try {
            JsonNode root = Json.mapper().readTree(json);
            for (JsonNode topic : root) {
                Iterator<Map.Entry<String, JsonNode>> partitions = topic.fields();
                while (partitions.hasNext()) {
                    Map.Entry<String, JsonNode> p = partitions.next();
                    out.put(Integer.parseInt(p.getKey()), p.getValue().asLong());
                }
            }
        } catch (Exception e) {
            return Map.of(); // not Kafka's offset JSON: no lag to report
        }
        return out;
    }
}
