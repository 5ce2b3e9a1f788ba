package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.TopicNames;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.runtime.stack.EmbeddedKafkaAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The orders file drop the file drop tests feed through {@code lakeshift up}, wherever its folder is
 * (local or on an SFTP server): the source's declaration, the two CSV files, and what the lake and the
 * dead letters must hold afterwards.
 */
final class OrdersDrop {

    /**
     * File name to content, in drop order. 8 records: order 1 three times (the last line wins), one line
     * without its required amount, one with a date that is no date.
     */
    static final Map<String, String> FILES = files();
    static final int RECORDS = 8;
    private static final String SCHEMA = "sales";
    private static final String TABLE = "Orders";

    private final String source;
    private final LakeCheck lake;

    /**
     * @param source the source's name (its lake table is {@code <source>.orders})
     * @param lake the lake as {@code up} serves it
     */
    OrdersDrop(String source, LakeCheck lake) {
        this.source = source;
        this.lake = lake;
    }

    /**
     * The configuration of {@code up} with one {@code kind: file} CSV source keyed by order_id.
     *
     * @param sourceLines lines of the source's own, e.g. {@code username:} (indented as a source key)
     * @param settingLines lines of its {@code settings:} besides the format and columns, the folder's among them
     */
    static String config(String source, List<String> sourceLines, List<String> settingLines) {
        List<String> lines = new ArrayList<>(List.of(
                "sources:",
                "  - name: " + source,
                "    kind: file",
                "    tables: [" + SCHEMA + "." + TABLE + "]"));
        sourceLines.forEach(l -> lines.add("    " + l));
        lines.add("    settings:");
        settingLines.forEach(l -> lines.add("      " + l));
        lines.addAll(List.of(
                "      format: csv",
                "      key: [order_id]",
                "      columns:",
                "        - {name: order_id, type: int64}",
                "        - {name: Amount, type: \"decimal(12,2)\", required: true}",
                "        - {name: placed, type: date}",
                "        - {name: note, type: string}",
                "spark:",
                "  shufflePartitions: 2",
                "  triggerIntervalMs: 500",
                ""));
        return String.join("\n", lines);
    }

    /** The lake table, as {@code up} names it. */
    String table() {
        return source + "." + TABLE.toLowerCase(Locale.ROOT);
    }

    /** Waits until the lake table holds one row per order, each its newest line. */
    void awaitNewestLinePerKey(LakeshiftCommand up) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .failFast("lakeshift up ended", () -> !up.alive()).untilAsserted(() -> {
                    lake.refresh(table());
                    assertThat(lake.rows("SELECT order_id, amount, CAST(placed AS STRING), note FROM " + lake.qualified(table())
                            + " ORDER BY order_id")).containsExactly(
                            "[1,12.00,2024-05-03,third]",
                            "[2,21.00,2024-05-04,changed]",
                            "[5,50.00,2024-05-04,null]");
                });
    }

    /**
     * Records read = changes in the lake (one changelog row each) + dead letters, the two bad lines
     * dead-lettered with their reason and origin.
     */
    void assertEveryRecordAccountedFor(LakeshiftConfig config, Path dataDir) {
        ComponentStatus status = new StatusFiles(dataDir, "sources").readAll().stream()
                .filter(s -> s.name().equals(source)).findFirst().orElseThrow();
        long events = status.counters().getOrDefault("events", 0L);
        long deadLetters = status.counters().getOrDefault("deadLetters", 0L);
        lake.refresh(table() + "__changelog");
        long changes = lake.count("SELECT count(*) FROM " + lake.qualified(table() + "__changelog"));
        assertThat(changes).as("every valid record is one change in the changelog").isEqualTo(events);
        assertThat(deadLetters).as("dead letters: the record without its required amount and the one with a bad date")
                .isEqualTo(2);
        assertThat(changes + deadLetters).as("records read = changes in the lake + dead letters").isEqualTo(RECORDS);

        String topic = TopicNames.changes(config.kafka().topicPrefix(), source, SCHEMA, TABLE);
        Map<String, String> reasons = deadLetterReasons(dataDir, TopicNames.deadLetters(topic));
        assertThat(reasons).as("dead letters by origin (file:line)").containsOnlyKeys("day1.csv:5", "day1.csv:6");
        assertThat(reasons.get("day1.csv:5")).isEqualTo("column 'Amount' is required but empty");
        assertThat(reasons.get("day1.csv:6")).startsWith("column 'placed': 'yesterday' is not a valid date");
    }

    /** Origin (file:line) to reason of every dead letter on {@code dlqTopic} of the broker {@code up} runs. */
    private static Map<String, String> deadLetterReasons(Path dataDir, String dlqTopic) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaAddress.running(dataDir).orElseThrow(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, String> reasons = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlqTopic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(dlqTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    reasons.put(header(r, DeadLetterHeaders.ORIGIN), header(r, DeadLetterHeaders.REASON));
                }
            }
        }
        return reasons;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("day1.csv", String.join("\n",
                "order_id,Amount,placed,note",
                "1,10.00,2024-05-01,first",
                "2,20.50,2024-05-01,ünïcode ✓",
                "1,11.00,2024-05-02,second",
                "3,,2024-05-02,no amount",
                "4,40.00,yesterday,bad date",
                "1,12.00,2024-05-03,third",
                ""));
        files.put("day2.csv", String.join("\n",
                "order_id,Amount,placed,note",
                "5,50.00,2024-05-04,",
                "2,21.00,2024-05-04,changed",
                ""));
        return files;
    }
}
