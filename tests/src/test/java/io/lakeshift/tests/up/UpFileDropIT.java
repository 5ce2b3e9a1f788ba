package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.status.StatusFiles;
import io.lakeshift.lakehouse.SparkSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file drop reaching the lake through {@code lakeshift up}: the lake table is created from the
 * declared columns before the first file, every record read is a row change in the lake or a dead
 * letter, and a key that appears on several lines keeps its newest line.
 */
class UpFileDropIT {

    @TempDir
    static Path work;

    static LakeshiftCommand up;
    static SparkSession spark;

    @Test
    void droppedFilesBecomeLakeRowsAndDeadLetters() throws Exception {
        Path drops = Files.createDirectories(work.resolve("drops"));
        Path dataDir = work.resolve("lakeshift-data");
        Path config = work.resolve("drops.yaml");
        Files.writeString(config, String.join("\n",
                "sources:",
                "  - name: shop",
                "    kind: file",
                "    tables: [sales.Orders]",
                "    settings:",
                "      directory: " + drops,
                "      format: csv",
                "      pickup: done-marker",
                "      key: [order_id]",
                "      columns:",
                "        - {name: order_id, type: int64}",
                "        - {name: Amount, type: \"decimal(12,2)\", required: true}",
                "        - {name: placed, type: date}",
                "        - {name: note, type: string}",
                "spark:",
                "  shufflePartitions: 2",
                "  triggerIntervalMs: 500",
                ""), StandardCharsets.UTF_8);

        up = LakeshiftCommand.start(work.resolve("up.out"), Map.of(), "up", "--config", config.toString(),
                "--data-dir", dataDir.toString());
        up.awaitOutput("created lake table shop.orders", Duration.ofMinutes(3));
        up.awaitOutput("pipeline shop.orders is running", Duration.ofMinutes(3));

        // 6 records: order 1 three times (the last line wins), one with a missing required amount, one
        // with a date that is no date.
        drop(drops, "day1.csv", String.join("\n",
                "order_id,Amount,placed,note",
                "1,10.00,2024-05-01,first",
                "2,20.50,2024-05-01,ünïcode ✓",
                "1,11.00,2024-05-02,second",
                "3,,2024-05-02,no amount",
                "4,40.00,yesterday,bad date",
                "1,12.00,2024-05-03,third",
                ""));
        drop(drops, "day2.csv", String.join("\n",
                "order_id,Amount,placed,note",
                "5,50.00,2024-05-04,",
                "2,21.00,2024-05-04,changed",
                ""));

        LakeshiftConfig loaded = ConfigLoader.load(config, dataDir, List.of());
        spark = SparkSession.builder().config(SparkSettings.of(loaded, "lakeshift-test-drops")).getOrCreate();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .failFast("lakeshift up ended", () -> !up.alive()).untilAsserted(() -> {
                    spark.sql("REFRESH TABLE lakeshift.shop.orders");
                    List<Row> rows = spark.sql("SELECT order_id, amount, CAST(placed AS STRING), note FROM lakeshift.shop.orders"
                            + " ORDER BY order_id").collectAsList();
                    assertThat(rows).map(Row::toString).containsExactly(
                            "[1,12.00,2024-05-03,third]",
                            "[2,21.00,2024-05-04,changed]",
                            "[5,50.00,2024-05-04,null]");
                });

        ComponentStatus source = new StatusFiles(dataDir, "sources").readAll().stream()
                .filter(s -> s.name().equals("shop")).findFirst().orElseThrow();
        long events = source.counters().getOrDefault("events", 0L);
        long deadLetters = source.counters().getOrDefault("deadLetters", 0L);
        assertThat(deadLetters).as("dead letters: the record without its required amount and the one with a bad date").isEqualTo(2);
        assertThat(events + deadLetters).as("records read = events + dead letters").isEqualTo(8);
        spark.sql("REFRESH TABLE lakeshift.shop.orders__changelog");
        assertThat(spark.sql("SELECT count(*) FROM lakeshift.shop.orders__changelog").first().getLong(0))
                .as("every valid record is one change in the changelog").isEqualTo(events);
        assertThat(up.stop(Duration.ofMinutes(2))).isZero();
    }

    private static void drop(Path dir, String name, String content) throws Exception {
        Path tmp = dir.resolveSibling(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve(name + ".done"), "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (up != null && up.alive()) {
            up.stop(Duration.ofMinutes(2));
        }
        if (spark != null) {
            spark.stop();
        }
    }
}
