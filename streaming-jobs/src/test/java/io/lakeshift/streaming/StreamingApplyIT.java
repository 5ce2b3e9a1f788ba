package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.envelope.SourceInfo;
import io.lakeshift.core.testing.SharedKafka;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.LakeshiftColumns;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.lakehouse.TableBootstrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Real Kafka broker, real Spark, real Iceberg catalog: ordering, deletes, replays and poison records. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedKafka.class)
class StreamingApplyIT {

    private static final String TOPIC = "it.shop.shop.items";

    @TempDir
    static Path dir;

    static KafkaClusterTestKit kafka;
    static SparkSession spark;
    static LakeshiftConfig config;

    @BeforeAll
    static void start() throws Exception {
        kafka = SharedKafka.broker();
        Path config = dir.resolve("lakeshift.yaml");
        java.nio.file.Files.writeString(config, """
                kafka:
                  bootstrapServers: %s
                  topicPrefix: it
                sources:
                  - name: shop
                    kind: postgres
                    host: db
                    port: 5432
                    database: shop
                    username: u
                    tables: [shop.items]
                    snapshotMode: initial
                  - name: gadgets
                    kind: postgres
                    host: db
                    port: 5432
                    database: shop
                    username: u
                    tables: [shop.gadgets]
                    snapshotMode: initial
                """.formatted(kafka.bootstrapServers()));
        StreamingApplyIT.config = ConfigLoader.load(config, dir, List.of("spark.triggerIntervalMs=500"));
        Catalog catalog = IcebergCatalogs.open(StreamingApplyIT.config.catalog());
        SourceTable items = itemsShaped("items");
        org.apache.iceberg.Schema schema = TableBootstrap.schemaFor(items, List.of(), true);
        // Partitioned by label, so an update that changes the label moves the row to another partition.
        catalog.buildTable(org.apache.iceberg.catalog.TableIdentifier.of("shop", "items"), schema)
                .withPartitionSpec(org.apache.iceberg.PartitionSpec.builderFor(schema).identity("label").build())
                .withProperty("format-version", "2")
                .create();
        new TableBootstrap(catalog).ensureTable("gadgets.gadgets", new SourceTable("shop", "gadgets", List.of(
                new SourceTable.SourceColumn("id", LogicalType.INT64, false, "int8"),
                new SourceTable.SourceColumn("price", LogicalType.decimal(12, 2), false, "numeric")), List.of("id")), List.of(), true);
        ((AutoCloseable) catalog).close();
        spark = SparkSession.builder().config(SparkSettings.of(StreamingApplyIT.config, "streaming-apply-it")).getOrCreate();
    }

    @AfterAll
    static void stop() throws Exception {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    @Order(1)
    void appliesTheNewestChangePerKeyDeletesAndDeadLettersBadRecords() throws Exception {
        produce(List.of(
                event(Op.READ, 1, "1.00", "one", 100, 0),
                event(Op.READ, 2, "2.00", "two", 100, 0),
                event(Op.UPDATE, 1, "1.50", "one, updated", 200, 1),
                event(Op.UPDATE, 1, "1.25", "older, arrives late", 150, 1),
                event(Op.DELETE, 2, null, null, 300, 1),
                event(Op.CREATE, 3, "12345678.90", "Zoë « 李 »", 310, 1),
                "not json at all".getBytes(StandardCharsets.UTF_8),
                event(Op.CREATE, 4, "abc", "bad price", 320, 1)));

        Map<String, PipelineMetrics> metrics = runAvailableNow();

        assertThat(rows()).containsExactly("1|1.50|one, updated|2026-01-01 00:00:00.123456", "3|12345678.90|Zoë « 李 »|2026-01-01 00:00:00.123456");
        List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(2);
        assertThat(dead).hasSize(2);
        assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.REASON)).containsExactlyInAnyOrder(
                "value is not a Lakeshift change event (invalid JSON or no 'op')",
                "column price: cannot read 'abc' as decimal(12,2)");
        assertThat(dead).allSatisfy(r -> assertThat(header(r, DeadLetterHeaders.ORIGIN)).startsWith(TOPIC + "-0@"));
        PipelineMetrics m = metrics.get("shop.items");
        assertThat(m.recordsIn()).isEqualTo(8);
        assertThat(m.recordsIn()).isEqualTo(m.rowsApplied() + m.deadLetters());
        assertThat(m.deadLetters()).isEqualTo(2);

        assertThat(changelog()).containsExactly("r:1", "r:2", "u:1", "u:1", "d:2", "c:3");
        assertThat(spark.sql("SELECT id, _ls_seq_hi FROM lakeshift.shop.items__deletes").collectAsList())
                .extracting(Object::toString).containsExactly("[2,300]");

        // A later run: replayed older changes lose to what the table holds (even to a delete), a newer one wins.
        produce(List.of(event(Op.UPDATE, 1, "0.10", "replayed", 120, 1), event(Op.READ, 2, "2.00", "two", 100, 0),
                event(Op.UPDATE, 3, "3.30", "newer", 400, 1)));
        runAvailableNow();

        assertThat(rows()).containsExactly("1|1.50|one, updated|2026-01-01 00:00:00.123456", "3|3.30|newer|2026-01-01 00:00:00.123456");
        // the read of id 2 at 100:0 came again (its source position and key are in the changelog): not appended twice
        assertThat(changelog()).containsExactly("r:1", "r:2", "u:1", "u:1", "d:2", "c:3", "u:1", "u:3");
        // one row per key across partitions: the update moved id 3 from partition 'Zoë « 李 »' to 'newer'
        assertThat(spark.sql("SELECT label FROM lakeshift.shop.items WHERE id = 3").collectAsList()).hasSize(1);
    }

    @Test
    @Order(2)
    void newColumnsAndWiderTypesFlowInWithoutARestart() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 50L);
        row.put("price", "123456789012.34");
        row.put("label", "evolved");
        row.put("sold_at", null);
        row.put("color", "teal");
        row.put("qty", 5_000_000_000L);
        produce(List.of(ChangeEventCodec.encodeValue(new ChangeEvent(Op.CREATE, Map.of("id", 50L), null, row,
                new SourceInfo("postgresql", "shop", "shop", "shop", "items", "lsn=900", new long[] {900, 1}, false, System.currentTimeMillis()),
                System.currentTimeMillis(), List.of(
                        new Column("id", LogicalType.INT64, false),
                        new Column("price", LogicalType.decimal(14, 2), false),
                        new Column("label", LogicalType.STRING, true),
                        new Column("sold_at", LogicalType.TIMESTAMPTZ, true),
                        new Column("color", LogicalType.STRING, true),
                        new Column("qty", LogicalType.INT64, true))))));

        runAvailableNow();

        spark.sql("REFRESH TABLE lakeshift.shop.items");
        assertThat(spark.table("lakeshift.shop.items").schema().apply("price").dataType().simpleString()).isEqualTo("decimal(14,2)");
        assertThat(spark.table("lakeshift.shop.items").schema().apply("qty").dataType().simpleString()).isEqualTo("bigint");
        assertThat(spark.sql("SELECT price, color, qty FROM lakeshift.shop.items WHERE id = 50").collectAsList())
                .extracting(Object::toString).containsExactly("[123456789012.34,teal,5000000000]");
        spark.sql("REFRESH TABLE lakeshift.shop.items__changelog");
        assertThat(spark.sql("SELECT color FROM lakeshift.shop.items__changelog WHERE id = 50").collectAsList())
                .extracting(Object::toString).containsExactly("[teal]");
    }

    @Test
    @Order(3)
    void anIncompatibleTypeChangeStopsThePipelineAndLeavesTheTableIntact() throws Exception {
        produceTo("it.gadgets.shop.gadgets", List.of(gadget(1, "9.99", LogicalType.decimal(12, 2), 10)));
        runAvailableNow("gadgets");
        produceTo("it.gadgets.shop.gadgets", List.of(gadget(2, "cheap", LogicalType.STRING, 20)));

        try (RunningApply apply = StreamingApplyJob.start(spark, config, "gadgets", StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(apply::awaitTermination)
                    .hasMessageContaining("column price is decimal(12, 2) in the table but string in the events")
                    .hasMessageContaining("the table is unchanged");
        }
        spark.sql("REFRESH TABLE lakeshift.gadgets.gadgets");
        assertThat(spark.sql("SELECT id, price FROM lakeshift.gadgets.gadgets").collectAsList())
                .extracting(Object::toString).containsExactly("[1,9.99]");
    }

    @Test
    @Order(4)
    void metricsAreServedInPrometheusFormatAndWrittenAsStatus() throws Exception {
        produce(List.of(event(Op.CREATE, 60, "6.00", "metrics", 1000, 1)));
        try (RunningApply apply = StreamingApplyJob.start(spark, config, "shop", StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            apply.awaitTermination();
            assertThat(apply.prometheusScrape())
                    .contains("lakeshift_pipeline_rows_applied_total{part=\"apply-shop\",pipeline=\"shop.items\"}")
                    .contains("lakeshift_freshness_p50_seconds");
        }
        assertThat(new io.lakeshift.core.status.StatusFiles(config.dataDir(), "pipelines").readAll())
                .filteredOn(s -> s.name().equals("shop.items")).singleElement()
                .satisfies(s -> {
                    assertThat(s.state()).isEqualTo("STOPPED");
                    assertThat(s.counters().get("rowsApplied")).isPositive();
                });
    }

    @Test
    @Order(5)
    void aPipelineTransformShapesTheTableWhileTheChangelogKeepsTheEventsAsTheyCame() throws Exception {
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        SourceTable promo = itemsShaped("promo");
        for (String target : List.of("promo.items", "nokey.items", "badsql.items")) {
            new TableBootstrap(catalog).ensureTable(target, promo, List.of(), true);
        }
        ((AutoCloseable) catalog).close();
        LakeshiftConfig transforming = new LakeshiftConfig(config.dataDir(), config.kafka(), config.sources(), config.catalog(),
                config.spark(), List.of(
                        transformed("promo", "SELECT id, price * 2 AS price, upper(label) AS label, sold_at,"
                                + " _ls_op, _ls_seq_hi, _ls_seq_lo, _ls_source_ts FROM changes WHERE id <> 13"),
                        transformed("nokey", "SELECT price, label, _ls_op, _ls_seq_hi, _ls_seq_lo, _ls_source_ts FROM changes"),
                        transformed("badsql", "SELECT no_such_column FROM changes")),
                config.demo(), config.airflow(), config.metrics(), config.ingestion(), config.console());
        produceTo("it.promo.shop.promo", List.of(event(Op.CREATE, 11, "1.00", "eleven", 100, 0),
                event(Op.UPDATE, 11, "1.50", "eleven, updated", 200, 0), event(Op.CREATE, 12, "2.00", "twelve", 110, 0),
                event(Op.CREATE, 13, "3.00", "thirteen", 120, 0)));

        try (RunningApply apply = StreamingApplyJob.start(spark, transforming, "promo", StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            apply.awaitTermination();
        }

        spark.sql("REFRESH TABLE lakeshift.promo.items");
        assertThat(spark.sql("SELECT id, price, label FROM lakeshift.promo.items ORDER BY id").collectAsList())
                .extracting(Object::toString).containsExactly("[11,3.00,ELEVEN, UPDATED]", "[12,4.00,TWELVE]");
        spark.sql("REFRESH TABLE lakeshift.promo.items__changelog");
        assertThat(spark.sql("SELECT id, price, label FROM lakeshift.promo.items__changelog ORDER BY _ls_kafka_offset").collectAsList())
                .extracting(Object::toString)
                .containsExactly("[11,1.00,eleven]", "[11,1.50,eleven, updated]", "[12,2.00,twelve]", "[13,3.00,thirteen]");

        // A transform that drops a key column, or cannot run, stops its pipeline before anything is written.
        for (String[] failing : List.of(new String[] {"nokey", "drops the key column(s) id"},
                new String[] {"badsql", "its transform cannot run on the view 'changes'"})) {
            produceTo("it." + failing[0] + ".shop.promo", List.of(event(Op.CREATE, 21, "1.00", "x", 100, 0)));
            try (RunningApply apply = StreamingApplyJob.start(spark, transforming, failing[0], StreamingApplyJob.Mode.AVAILABLE_NOW)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(apply::awaitTermination)
                        .hasMessageContaining("pipeline " + failing[0] + ".items")
                        .hasMessageContaining(failing[1]);
            }
            spark.sql("REFRESH TABLE lakeshift." + failing[0] + ".items");
            spark.sql("REFRESH TABLE lakeshift." + failing[0] + ".items__changelog");
            assertThat(spark.table("lakeshift." + failing[0] + ".items").count()).isZero();
            assertThat(spark.table("lakeshift." + failing[0] + ".items__changelog").count()).isZero();
        }
    }

    @Test
    @Order(6)
    void inOrderBatchesAreUpsertedByEqualityDeletesAndReplaysAndOtherWritersStillLoseToNewerState() throws Exception {
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        SourceTable ledger = itemsShaped("ledger");
        new TableBootstrap(catalog).ensureTable("flat.items", ledger, List.of(), true);
        new TableBootstrap(catalog).ensureTable("bucketed.items", ledger, List.of(),
                io.lakeshift.lakehouse.TableLayout.parse(List.of("bucket(4, id)"), List.of()), io.lakeshift.core.config.PipelineConfig.MERGE_ON_READ, true);
        ((AutoCloseable) catalog).close();
        LakeshiftConfig upserting = new LakeshiftConfig(config.dataDir(), config.kafka(), config.sources(), config.catalog(),
                config.spark(), List.of(ledgerPipeline("flat"), ledgerPipeline("bucketed")), config.demo(), config.airflow(), config.metrics(), config.ingestion(), config.console());
        for (String source : List.of("flat", "bucketed")) {
            String topic = "it." + source + ".shop.ledger";
            String table = "lakeshift." + source + ".items";

            // in order: the batch is newer than the (empty) table
            produceTo(topic, List.of(event(Op.CREATE, 1, "1.00", "one", 100, 1), event(Op.CREATE, 2, "2.00", "two", 110, 1),
                    event(Op.UPDATE, 1, "1.10", "one, updated", 120, 1), event(Op.CREATE, 3, "3.00", "three", 130, 1),
                    event(Op.DELETE, 2, null, null, 140, 1)));
            runAvailableNow(upserting, source);
            assertThat(rowsOf(table)).as(source).containsExactly("1|1.10|one, updated", "3|3.00|three");
            assertThat(currentSummary(table)).as(source).containsEntry(HighWater.SUMMARY_KEY, "140:1")
                    .containsKey("added-equality-delete-files");

            // replayed and late changes: applied by MERGE, they lose to the newer row and to the later delete
            produceTo(topic, List.of(event(Op.UPDATE, 1, "0.90", "replayed", 115, 1), event(Op.CREATE, 2, "2.00", "two", 110, 1),
                    event(Op.UPDATE, 3, "3.30", "three, newer", 200, 1)));
            runAvailableNow(upserting, source);
            assertThat(rowsOf(table)).as(source).containsExactly("1|1.10|one, updated", "3|3.30|three, newer");
            assertThat(currentSummary(table)).as(source).containsEntry(HighWater.SUMMARY_KEY, "200:1")
                    .doesNotContainKey("added-equality-delete-files");

            // in order again: a deleted key comes back, and the table reads one row per key
            produceTo(topic, List.of(event(Op.UPDATE, 1, "1.20", "one, again", 300, 1), event(Op.CREATE, 2, "2.20", "two, back", 310, 1)));
            runAvailableNow(upserting, source);
            assertThat(rowsOf(table)).as(source).containsExactly("1|1.20|one, again", "2|2.20|two, back", "3|3.30|three, newer");
            assertThat(currentSummary(table)).as(source).containsKey("added-equality-delete-files");

            // another writer's row at a later position: the next batch, older than it, is compared row by row
            spark.sql("INSERT INTO " + table + " VALUES (4, 4.00, 'written elsewhere', NULL, 1000, 0, NULL)");
            produceTo(topic, List.of(event(Op.UPDATE, 4, "0.40", "older than the other writer's", 500, 1),
                    event(Op.UPDATE, 3, "3.50", "three, newest", 510, 1)));
            runAvailableNow(upserting, source);
            assertThat(rowsOf(table)).as(source).containsExactly("1|1.20|one, again", "2|2.20|two, back", "3|3.50|three, newest",
                    "4|4.00|written elsewhere");
            assertThat(currentSummary(table)).as(source).containsEntry(HighWater.SUMMARY_KEY, "1000:" + Long.MAX_VALUE);

            // in order after it, with a new column and a wider decimal: the table evolves, the upsert writes the new schema
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", 5L);
            row.put("price", "123456789012.34");
            row.put("label", "five");
            row.put("sold_at", null);
            row.put("color", "teal");
            produceTo(topic, List.of(ChangeEventCodec.encodeValue(new ChangeEvent(Op.CREATE, Map.of("id", 5L), null, row,
                    new SourceInfo("postgresql", source, "shop", "shop", "ledger", "lsn=2000", new long[] {2000, 1}, false,
                            System.currentTimeMillis()),
                    System.currentTimeMillis(), List.of(new Column("id", LogicalType.INT64, false),
                            new Column("price", LogicalType.decimal(14, 2), false), new Column("label", LogicalType.STRING, true),
                            new Column("sold_at", LogicalType.TIMESTAMPTZ, true), new Column("color", LogicalType.STRING, true))))));
            runAvailableNow(upserting, source);
            spark.sql("REFRESH TABLE " + table);
            assertThat(spark.sql("SELECT id, price, color FROM " + table + " WHERE id IN (1, 5) ORDER BY id").collectAsList())
                    .extracting(Object::toString).as(source).containsExactly("[1,1.20,null]", "[5,123456789012.34,teal]");
            assertThat(currentSummary(table)).as(source).containsEntry(HighWater.SUMMARY_KEY, "2000:1")
                    .containsKey("added-equality-delete-files");
        }

        // A batch too large to be reduced on the driver: the newest change per key is found and written on the executors.
        int keys = 5_000;
        int versions = 5;
        List<byte[]> many = new ArrayList<>();
        for (int v = 0; v < versions; v++) {
            for (int k = 0; k < keys; k++) {
                many.add(event(v == 0 ? Op.CREATE : Op.UPDATE, 100 + k, v + ".00", "v" + v, 10_000 + (long) v * keys + k, 1));
            }
        }
        assertThat(many).hasSizeGreaterThan((int) ChangeBatchApplier.COLLECTED_UPSERT_MAX_CHANGES);
        produceAll("it.flat.shop.ledger", many);
        runAvailableNow(upserting, "flat");
        spark.sql("REFRESH TABLE lakeshift.flat.items");
        assertThat(spark.sql("SELECT count(*), count(DISTINCT id), min(label), max(label), min(price), max(price)"
                + " FROM lakeshift.flat.items WHERE id >= 100").collectAsList()).extracting(Object::toString)
                .containsExactly("[" + keys + "," + keys + ",v4,v4,4.00,4.00]");
        assertThat(currentSummary("lakeshift.flat.items")).containsEntry(HighWater.SUMMARY_KEY, (10_000 + versions * keys - 1) + ":1")
                .containsKey("added-equality-delete-files");
    }

    @Test
    @Order(7)
    void aDeletedOrOlderCheckpointNeitherSkipsNorRepeatsAChange() throws Exception {
        createItemsTable("ckpt.items", "ckptitems");
        LakeshiftConfig small = withPipelines(2, pipeline("ckpt.items", "ckpt", "ckptitems", "ckpt.items"));
        String topic = "it.ckpt.shop.ckptitems";
        Path checkpoint = Path.of(StreamingApplyJob.checkpoint(small, "ckpt", "ckpt.items"));

        produceTo(topic, List.of(event(Op.CREATE, 1, "1.00", "one", 100, 1), event(Op.CREATE, 2, "2.00", "two", 110, 1),
                event(Op.UPDATE, 1, "1.10", "one, updated", 120, 1), event(Op.CREATE, 3, "3.00", "three", 130, 1)));
        runAvailableNow(small, "ckpt");
        assertThat(checkpoint.resolve("commits")).isDirectory();

        // The checkpoint is lost: the next run's batch ids start at 0 again, below those its tables recorded.
        deleteRecursively(checkpoint);
        produceTo(topic, List.of(event(Op.UPDATE, 2, "2.20", "two, updated", 140, 1), event(Op.DELETE, 1, null, null, 150, 1),
                event(Op.CREATE, 4, "4.00", "four", 160, 1)));
        runAvailableNow(small, "ckpt");
        assertThat(rowsOf("lakeshift.ckpt.items")).containsExactly("2|2.20|two, updated", "3|3.00|three", "4|4.00|four");

        // A checkpoint older than the tables (restored from a backup): its batches are replayed, and trimmed to nothing.
        Path older = dir.resolve("ckpt-backup");
        copyRecursively(checkpoint, older);
        produceTo(topic, List.of(event(Op.UPDATE, 3, "3.30", "three, updated", 170, 1), event(Op.CREATE, 5, "5.00", "five", 180, 1)));
        runAvailableNow(small, "ckpt");
        deleteRecursively(checkpoint);
        copyRecursively(older, checkpoint);
        produceTo(topic, List.of(event(Op.DELETE, 4, null, null, 190, 1)));
        runAvailableNow(small, "ckpt");

        assertThat(rowsOf("lakeshift.ckpt.items")).containsExactly("2|2.20|two, updated", "3|3.30|three, updated", "5|5.00|five");
        assertThat(changelogOf("lakeshift.ckpt.items")).containsExactly("c:1@100", "c:2@110", "u:1@120", "c:3@130", "u:2@140",
                "d:1@150", "c:4@160", "u:3@170", "c:5@180", "d:4@190");
    }

    @Test
    @Order(8)
    void changesIngestionSendsAgainUnderNewOffsetsAreInTheChangelogOnce() throws Exception {
        createItemsTable("replay.items", "replayitems");
        LakeshiftConfig replaying = withPipelines(1_000, pipeline("replay.items", "replay", "replayitems", "replay.items"));
        String topic = "it.replay.shop.replayitems";
        List<byte[]> first = List.of(event(Op.CREATE, 1, "1.00", "one", 100, 1), event(Op.CREATE, 2, "2.00", "two", 110, 1),
                event(Op.UPDATE, 1, "1.10", "one, updated", 120, 1), event(Op.DELETE, 2, null, null, 130, 1));
        produceTo(topic, first);
        runAvailableNow(replaying, "replay");

        // Debezium restarts from its last stored offset: the same changes again, then a new one.
        List<byte[]> again = new ArrayList<>(first);
        again.add(event(Op.CREATE, 3, "3.00", "three", 140, 1));
        produceTo(topic, again);
        runAvailableNow(replaying, "replay");
        // Both copies in one batch, neither applied before.
        byte[] four = event(Op.CREATE, 4, "4.00", "four", 150, 1);
        byte[] fourUpdated = event(Op.UPDATE, 4, "4.40", "four, updated", 160, 1);
        produceTo(topic, List.of(four, fourUpdated, four, fourUpdated));
        runAvailableNow(replaying, "replay");

        assertThat(rowsOf("lakeshift.replay.items")).containsExactly("1|1.10|one, updated", "3|3.00|three", "4|4.40|four, updated");
        assertThat(changelogOf("lakeshift.replay.items")).containsExactly("c:1@100", "c:2@110", "u:1@120", "d:2@130", "c:3@140",
                "c:4@150", "u:4@160");
    }

    @Test
    @Order(9)
    void pipelinesRemovedAddedBackAndNewToARunningSourceLoseAndRepeatNothing() throws Exception {
        for (String name : List.of("alpha", "beta", "gamma")) {
            createItemsTable("multi." + name, name);
        }
        var alpha = pipeline("multi.alpha", "multi", "alpha", "multi.alpha");
        var beta = pipeline("multi.beta", "multi", "beta", "multi.beta");
        var gamma = pipeline("multi.gamma", "multi", "gamma", "multi.gamma");
        produceTo("it.multi.shop.alpha", List.of(event(Op.CREATE, 1, "1.00", "a1", 100, 1)));
        produceTo("it.multi.shop.beta", List.of(event(Op.CREATE, 1, "1.00", "b1", 100, 1)));
        runAvailableNow(withPipelines(1_000, alpha, beta), "multi");

        // beta leaves the source's configuration while its topic goes on
        produceTo("it.multi.shop.alpha", List.of(event(Op.CREATE, 2, "2.00", "a2", 110, 1)));
        produceTo("it.multi.shop.beta", List.of(event(Op.UPDATE, 1, "1.50", "b1, updated", 110, 1)));
        produceTo("it.multi.shop.gamma", List.of(event(Op.CREATE, 1, "1.00", "g1", 100, 1)));
        runAvailableNow(withPipelines(1_000, alpha), "multi");
        assertThat(rowsOf("lakeshift.multi.beta")).containsExactly("1|1.00|b1");

        // beta comes back and gamma is new
        produceTo("it.multi.shop.beta", List.of(event(Op.CREATE, 2, "2.00", "b2", 120, 1)));
        produceTo("it.multi.shop.gamma", List.of(event(Op.CREATE, 2, "2.00", "g2", 110, 1)));
        runAvailableNow(withPipelines(1_000, alpha, beta, gamma), "multi");

        assertThat(rowsOf("lakeshift.multi.alpha")).containsExactly("1|1.00|a1", "2|2.00|a2");
        assertThat(rowsOf("lakeshift.multi.beta")).containsExactly("1|1.50|b1, updated", "2|2.00|b2");
        assertThat(rowsOf("lakeshift.multi.gamma")).containsExactly("1|1.00|g1", "2|2.00|g2");
        assertThat(changelogOf("lakeshift.multi.beta")).containsExactly("c:1@100", "u:1@110", "c:2@120");
        assertThat(changelogOf("lakeshift.multi.gamma")).containsExactly("c:1@100", "c:2@110");
    }

    @Test
    @Order(10)
    void aPipelineThatMustStopStopsAloneAndItsSiblingGoesOn() throws Exception {
        createItemsTable("pair.broken", "broken");
        createItemsTable("pair.healthy", "healthy");
        LakeshiftConfig pair = withPipelines(1_000, pipeline("pair.broken", "pair", "broken", "pair.broken"),
                pipeline("pair.healthy", "pair", "healthy", "pair.healthy"));
        produceTo("it.pair.shop.broken", List.of(event(Op.CREATE, 1, "1.00", "one", 100, 1),
                gadget(2, "cheap", LogicalType.STRING, 110)));
        produceTo("it.pair.shop.healthy", List.of(event(Op.CREATE, 1, "1.00", "one", 100, 1)));

        try (RunningApply apply = StreamingApplyJob.start(spark, pair, "pair", StreamingApplyJob.Mode.CONTINUOUS)) {
            Awaitility.await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(apply.failures()).containsOnlyKeys("pair.broken"));
            produceTo("it.pair.shop.healthy", List.of(event(Op.CREATE, 2, "2.00", "two", 110, 1)));
            Awaitility.await().atMost(Duration.ofMinutes(2))
                    .untilAsserted(() -> assertThat(rowsOf("lakeshift.pair.healthy")).containsExactly("1|1.00|one", "2|2.00|two"));
            assertThat(apply.queries().get("pair.healthy").isActive()).isTrue();
            assertThat(statusOf("pair.broken").state()).isEqualTo("FAILED");
            assertThat(statusOf("pair.broken").details().get("lastError"))
                    .contains("column price is decimal(12, 2) in the table but string in the events");
            assertThat(statusOf("pair.healthy").state()).isEqualTo("RUNNING");
        }
        assertThat(rowsOf("lakeshift.pair.broken")).isEmpty();
        assertThat(statusOf("pair.broken").state()).isEqualTo("FAILED");
        assertThat(statusOf("pair.healthy").state()).isEqualTo("STOPPED");
    }

    @Test
    @Order(11)
    void aRequiredColumnTheSourceDropsBecomesOptional() throws Exception {
        createItemsTable("dropped.items", "droppeditems");
        LakeshiftConfig dropping = withPipelines(1_000, pipeline("dropped.items", "dropped", "droppeditems", "dropped.items"));
        Map<String, Object> withoutPrice = new LinkedHashMap<>();
        withoutPrice.put("id", 1L);
        withoutPrice.put("label", "one, price dropped");
        produceTo("it.dropped.shop.droppeditems", List.of(event(Op.CREATE, 1, "1.00", "one", 100, 1),
                rowEvent(Op.UPDATE, Map.of("id", 1L), null, withoutPrice, 110, List.of(new Column("id", LogicalType.INT64, false),
                        new Column("label", LogicalType.STRING, true))),
                event(Op.CREATE, 2, null, "two, null price", 120, 1)));

        Map<String, PipelineMetrics> metrics = runAvailableNow(dropping, "dropped");

        assertThat(metrics.get("dropped.items").deadLetters()).isZero();
        spark.sql("REFRESH TABLE lakeshift.dropped.items");
        assertThat(spark.table("lakeshift.dropped.items").schema().apply("price").nullable()).isTrue();
        assertThat(spark.sql("SELECT id, price, label FROM lakeshift.dropped.items ORDER BY id").collectAsList())
                .extracting(Object::toString).containsExactly("[1,null,one, price dropped]", "[2,null,two, null price]");
        assertThat(changelogOf("lakeshift.dropped.items")).containsExactly("c:1@100", "u:1@110", "c:2@120");
    }

    @Test
    @Order(12)
    void aTableWithoutAKeyIsAppliedByItsWholeRow() throws Exception {
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        org.apache.iceberg.Schema schema = new org.apache.iceberg.Schema(List.of(
                org.apache.iceberg.types.Types.NestedField.optional(1, "name", org.apache.iceberg.types.Types.StringType.get()),
                org.apache.iceberg.types.Types.NestedField.optional(2, "qty", org.apache.iceberg.types.Types.IntegerType.get()),
                org.apache.iceberg.types.Types.NestedField.optional(3, LakeshiftColumns.SEQ_HI, org.apache.iceberg.types.Types.LongType.get()),
                org.apache.iceberg.types.Types.NestedField.optional(4, LakeshiftColumns.SEQ_LO, org.apache.iceberg.types.Types.LongType.get()),
                org.apache.iceberg.types.Types.NestedField.optional(5, LakeshiftColumns.SOURCE_TS,
                        org.apache.iceberg.types.Types.TimestampType.withZone()),
                org.apache.iceberg.types.Types.NestedField.required(6, LakeshiftColumns.ROW_KEY, org.apache.iceberg.types.Types.StringType.get())),
                java.util.Set.of(6));
        catalog.buildTable(org.apache.iceberg.catalog.TableIdentifier.of("bag", "rows"), schema).withProperty("format-version", "2").create();
        ((AutoCloseable) catalog).close();
        LakeshiftConfig bag = withPipelines(1_000, pipeline("bag.rows", "bag", "bag", "bag.rows"));
        String topic = "it.bag.shop.bag";

        produceTo(topic, List.of(bagEvent(Op.CREATE, null, bagRow("a", 1), 10), bagEvent(Op.CREATE, null, bagRow("b", 2), 20),
                bagEvent(Op.CREATE, null, bagRow("b", 2), 30), bagEvent(Op.UPDATE, bagRow("a", 1), bagRow("a", 5), 40),
                bagEvent(Op.DELETE, bagRow("b", 2), null, 50), bagEvent(Op.CREATE, null, bagRow("c", 3), 60),
                bagEvent(Op.UPDATE, bagRow("c", 3), bagRow("c", 3), 70)));
        runAvailableNow(bag, "bag");
        // identical rows are one row: the delete of b removed it
        assertThat(bagRows()).containsExactly("a|5", "c|3");

        // older changes of deleted or replaced rows come late or again (applied by MERGE): those rows stay deleted
        produceTo(topic, List.of(bagEvent(Op.UPDATE, bagRow("a", 5), bagRow("a", 6), 80), bagEvent(Op.CREATE, null, bagRow("b", 2), 25),
                bagEvent(Op.CREATE, null, bagRow("a", 1), 10)));
        runAvailableNow(bag, "bag");

        assertThat(bagRows()).containsExactly("a|6", "c|3");
        spark.sql("REFRESH TABLE lakeshift.bag.rows__changelog");
        assertThat(spark.sql("SELECT _ls_op, name, qty FROM lakeshift.bag.rows__changelog ORDER BY _ls_seq_hi").collectAsList())
                .extracting(Object::toString).containsExactly("[c,a,1]", "[c,b,2]", "[c,b,2]", "[c,b,2]", "[u,a,5]",
                        "[d,b,2]", "[c,c,3]", "[u,c,3]", "[u,a,6]");
    }

    @Test
    @Order(13)
    void eventColumnsMatchALowerCasedTableWhateverTheirCase() throws Exception {
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        new TableBootstrap(catalog).ensureTable("mixed.customers", SourceTable.of("shop", "Customers", List.of(
                new Column("CustomerId", LogicalType.INT64, false), new Column("FullName", LogicalType.STRING, true)),
                List.of("CustomerId")), List.of(), true);
        ((AutoCloseable) catalog).close();
        LakeshiftConfig mixed = withPipelines(1_000, pipeline("mixed.customers", "mixed", "Customers", "mixed.customers"));
        List<Column> declared = List.of(new Column("CustomerId", LogicalType.INT64, false), new Column("FullName", LogicalType.STRING, true));
        produceTo("it.mixed.shop.Customers", List.of(
                rowEvent(Op.CREATE, Map.of("CustomerId", 1L), null, Map.of("CustomerId", 1L, "FullName", "Ada"), 100, declared),
                rowEvent(Op.CREATE, Map.of("CustomerId", 2L), null, Map.of("CustomerId", 2L, "FullName", "Grace"), 110, declared),
                rowEvent(Op.UPDATE, Map.of("CustomerId", 1L), null, Map.of("CustomerId", 1L, "FullName", "Ada L.", "Email", "ada@x"), 120,
                        List.of(declared.get(0), declared.get(1), new Column("Email", LogicalType.STRING, true)))));

        Map<String, PipelineMetrics> metrics = runAvailableNow(mixed, "mixed");

        assertThat(metrics.get("mixed.customers").deadLetters()).isZero();
        spark.sql("REFRESH TABLE lakeshift.mixed.customers");
        assertThat(spark.table("lakeshift.mixed.customers").columns()).contains("customerid", "fullname", "email")
                .doesNotContain("CustomerId", "FullName", "Email");
        assertThat(spark.sql("SELECT customerid, fullname, email FROM lakeshift.mixed.customers ORDER BY customerid").collectAsList())
                .extracting(Object::toString).containsExactly("[1,Ada L.,ada@x]", "[2,Grace,null]");
    }

    private static Map<String, Object> bagRow(String name, int qty) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("qty", qty);
        return row;
    }

    /** A change of a table without a key: ingestion sends the whole row as the Kafka key. */
    private static byte[] bagEvent(Op op, Map<String, Object> before, Map<String, Object> after, long seq) {
        return rowEvent(op, after != null ? after : before, before, after, seq,
                List.of(new Column("name", LogicalType.STRING, true), new Column("qty", LogicalType.INT32, true)));
    }

    private static byte[] rowEvent(Op op, Map<String, Object> key, Map<String, Object> before, Map<String, Object> after, long seq,
            List<Column> columns) {
        return ChangeEventCodec.encodeValue(new ChangeEvent(op, key, before, after,
                new SourceInfo("postgresql", "it", "shop", "shop", "t", "lsn=" + seq, new long[] {seq, 1}, op == Op.READ,
                        System.currentTimeMillis()),
                System.currentTimeMillis(), columns));
    }

    private List<String> bagRows() {
        spark.sql("REFRESH TABLE lakeshift.bag.rows");
        return spark.sql("SELECT name, qty FROM lakeshift.bag.rows ORDER BY name").collectAsList().stream()
                .map(r -> r.getString(0) + "|" + r.getInt(1)).toList();
    }

    private static void createItemsTable(String target, String sourceTable) throws Exception {
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        new TableBootstrap(catalog).ensureTable(target, itemsShaped(sourceTable), List.of(), true);
        ((AutoCloseable) catalog).close();
    }

    private static io.lakeshift.core.config.PipelineConfig pipeline(String name, String source, String sourceTable, String target) {
        return new io.lakeshift.core.config.PipelineConfig(name, source, "shop." + sourceTable, target, List.of(), "STREAMING", null,
                null, io.lakeshift.core.config.PipelineConfig.MERGE_ON_READ, null, null, null);
    }

    private static LakeshiftConfig withPipelines(long maxOffsetsPerTrigger, io.lakeshift.core.config.PipelineConfig... pipelines) {
        io.lakeshift.core.config.SparkConfig s = config.spark();
        return new LakeshiftConfig(config.dataDir(), config.kafka(), config.sources(), config.catalog(),
                new io.lakeshift.core.config.SparkConfig(s.master(), s.shufflePartitions(), s.checkpointDir(), s.triggerIntervalMs(),
                        maxOffsetsPerTrigger, s.conf()),
                List.of(pipelines), config.demo(), config.airflow(), config.metrics(), config.ingestion(), config.console());
    }

    /** The changelog as {@code op:id@position}, in Kafka order. */
    private static List<String> changelogOf(String table) {
        spark.sql("REFRESH TABLE " + table + "__changelog");
        return spark.sql("SELECT _ls_op, id, _ls_seq_hi FROM " + table + "__changelog ORDER BY _ls_kafka_offset").collectAsList()
                .stream().map(r -> r.getString(0) + ":" + r.getLong(1) + "@" + r.getLong(2)).toList();
    }

    private static io.lakeshift.core.status.ComponentStatus statusOf(String pipeline) {
        return new io.lakeshift.core.status.StatusFiles(config.dataDir(), "pipelines").readAll().stream()
                .filter(s -> s.name().equals(pipeline)).findFirst().orElseThrow();
    }

    private static void deleteRecursively(Path path) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(path)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    private static void copyRecursively(Path from, Path to) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(p, target);
                }
            }
        }
    }

    private static void produceAll(String topic, List<byte[]> values) {
        Map<String, Object> props = new HashMap<>(config.kafka().producerProperties("it"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, null, value));
            }
            producer.flush();
        }
    }

    private static io.lakeshift.core.config.PipelineConfig ledgerPipeline(String source) {
        return new io.lakeshift.core.config.PipelineConfig(source + ".items", source, "shop.ledger", source + ".items", List.of(),
                "STREAMING", null, null, io.lakeshift.core.config.PipelineConfig.MERGE_ON_READ, null, null, null);
    }

    private static Map<String, PipelineMetrics> runAvailableNow(LakeshiftConfig config, String source) {
        try (RunningApply apply = StreamingApplyJob.start(spark, config, source, StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            assertThat(apply.awaitTermination(Duration.ofMinutes(3))).as("ended in time").isTrue();
            assertThat(apply.failures()).as("failed pipelines").isEmpty();
            return apply.metrics();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> rowsOf(String table) {
        spark.sql("REFRESH TABLE " + table);
        return spark.sql("SELECT id, price, label FROM " + table + " ORDER BY id").collectAsList().stream()
                .map(r -> r.getLong(0) + "|" + r.getDecimal(1).toPlainString() + "|" + r.getString(2)).toList();
    }

    private static Map<String, String> currentSummary(String table) {
        org.apache.iceberg.Table iceberg = LakeTables.load(spark, table);
        iceberg.refresh();
        return iceberg.currentSnapshot().summary();
    }

    /** A source table shaped like shop.items: id (the key), price, label, sold_at. */
    private static SourceTable itemsShaped(String table) {
        return new SourceTable("shop", table, List.of(
                new SourceTable.SourceColumn("id", LogicalType.INT64, false, "int8"),
                new SourceTable.SourceColumn("price", LogicalType.decimal(12, 2), false, "numeric"),
                new SourceTable.SourceColumn("label", LogicalType.STRING, true, "text"),
                new SourceTable.SourceColumn("sold_at", LogicalType.TIMESTAMPTZ, true, "timestamptz")), List.of("id"));
    }

    /** Copy-on-write, so that its MERGE (which rewrites files) is covered too. */
    private static io.lakeshift.core.config.PipelineConfig transformed(String source, String transform) {
        return new io.lakeshift.core.config.PipelineConfig(source + ".items", source, "shop.promo", source + ".items", List.of(),
                "STREAMING", null, null, io.lakeshift.core.config.PipelineConfig.COPY_ON_WRITE, null, null, transform);
    }

    private Map<String, PipelineMetrics> runAvailableNow() throws Exception {
        return runAvailableNow("shop");
    }

    private Map<String, PipelineMetrics> runAvailableNow(String source) throws Exception {
        try (RunningApply apply = StreamingApplyJob.start(spark, config, source, StreamingApplyJob.Mode.AVAILABLE_NOW)) {
            assertThat(apply.awaitTermination(Duration.ofMinutes(3))).as("ended in time").isTrue();
            assertThat(apply.failures()).as("failed pipelines").isEmpty();
            return apply.metrics();
        }
    }

    private List<String> changelog() {
        spark.sql("REFRESH TABLE lakeshift.shop.items__changelog");
        return spark.sql("SELECT _ls_op, id FROM lakeshift.shop.items__changelog WHERE id < 10 ORDER BY _ls_kafka_offset").collectAsList()
                .stream().map(r -> r.getString(0) + ":" + r.getLong(1)).toList();
    }

    private static byte[] gadget(long id, String price, LogicalType priceType, long seq) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("price", price);
        return ChangeEventCodec.encodeValue(new ChangeEvent(Op.CREATE, Map.of("id", id), null, row,
                new SourceInfo("postgresql", "gadgets", "shop", "shop", "gadgets", "lsn=" + seq, new long[] {seq, 1}, false,
                        System.currentTimeMillis()),
                System.currentTimeMillis(), List.of(new Column("id", LogicalType.INT64, false), new Column("price", priceType, false))));
    }

    private List<String> rows() {
        spark.sql("REFRESH TABLE lakeshift.shop.items");
        List<String> out = new ArrayList<>();
        for (Row r : spark.sql("SELECT id, price, label, date_format(sold_at, 'yyyy-MM-dd HH:mm:ss.SSSSSS') FROM lakeshift.shop.items"
                + " ORDER BY id").collectAsList()) {
            out.add(r.getLong(0) + "|" + r.getDecimal(1).toPlainString() + "|" + r.getString(2) + "|" + r.getString(3));
        }
        return out;
    }

    private static byte[] event(Op op, long id, String price, String label, long seqHi, long seqLo) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("price", price);
        row.put("label", label);
        row.put("sold_at", "2026-01-01T00:00:00.123456Z");
        ChangeEvent e = new ChangeEvent(op, Map.of("id", id), op == Op.DELETE ? Map.of("id", id) : null,
                op == Op.DELETE ? null : row,
                new SourceInfo("postgresql", "shop", "shop", "shop", "items", "lsn=" + seqHi, new long[] {seqHi, seqLo},
                        op == Op.READ, System.currentTimeMillis()),
                System.currentTimeMillis(), List.of(new Column("id", LogicalType.INT64, false)));
        return ChangeEventCodec.encodeValue(e);
    }

    private static void produce(List<byte[]> values) throws Exception {
        produceTo(TOPIC, values);
    }

    private static void produceTo(String topic, List<byte[]> values) throws Exception {
        Map<String, Object> props = new HashMap<>(config.kafka().producerProperties("it"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, null, value)).get();
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected) {
        Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", UUID.randomUUID().toString(),
                "auto.offset.reset", "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC + ".dlq"));
            long until = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < until && out.size() < expected) {
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
            }
            consumer.poll(Duration.ofMillis(1_000)).forEach(out::add); // and nothing more than expected
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
