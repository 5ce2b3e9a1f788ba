package io.lakeshift.camel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lakeshift.camel.CamelSources;
import io.lakeshift.camel.kafka.OutboundMessages;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.DeadLetterHeaders;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import io.lakeshift.core.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** File drops through the real route into a real in-process Kafka broker. */
@ExtendWith(SharedKafka.class)
class FileSourceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    static KafkaTestBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaTestBroker.shared();
    }

    private LakeshiftConfig config(String sourcesYaml) throws Exception {
        return TestConfigs.load(dir.resolve("data"), kafka.bootstrapServers(), sourcesYaml);
    }

    private static CamelSources start(LakeshiftConfig config) throws Exception {
        CamelSources sources = CamelSources.create(config, Duration.ofSeconds(10));
        sources.start(config.kafka());
        return sources;
    }

    private static void awaitGone(Path file) {
        await().atMost(WAIT).until(() -> !Files.exists(file));
    }

    @Test
    void csvWithQuotedDelimitersEmbeddedNewlinesAndBom() throws Exception {
        Path inbox = dir.resolve("in");
        LakeshiftConfig config = config("""
                  - name: crm
                    kind: file
                    tables: [retail.customers]
                    settings:
                      directory: %s
                      stableForMs: 200
                      key: [id]
                      columns:
                        - {name: id, type: int64}
                        - {name: name, type: string, required: true}
                        - {name: note, type: string}
                        - {name: balance, type: "decimal(10,2)"}
                        - {name: since, type: date}
                """.formatted(inbox));
        try (CamelSources sources = start(config)) {
            Path file = TestConfigs.drop(inbox, "customers.csv", "\uFEFFid,name,note,balance,since\r\n"
                    + "1,\"Smith, Ann\",plain,10.5,2026-01-02\r\n"
                    + "2,\"Zoë \"\"Z\"\" Li\",\"two\r\nlines\",,\r\n"
                    + "3,Bob,,-0.25,2026-02-28\r\n");
            awaitGone(file);
            assertThat(inbox.resolve("done/customers.csv")).exists();
        }
        List<ChangeEvent> events = kafka.events("it.crm.retail.customers", 3);
        assertThat(events).hasSize(3);
        ChangeEvent first = events.get(0);
        assertThat(first.op()).isEqualTo(Op.CREATE);
        assertThat(first.key()).containsEntry("id", 1);
        assertThat(first.after()).containsEntry("name", "Smith, Ann").containsEntry("balance", "10.50")
                .containsEntry("since", "2026-01-02");
        assertThat(first.source().position()).isEqualTo("customers.csv:2");
        assertThat(first.source().system()).isEqualTo("file");
        assertThat(first.source().schema()).isEqualTo("retail");
        assertThat(first.source().table()).isEqualTo("customers");
        assertThat(first.columns()).extracting(c -> c.type())
                .containsExactly(LogicalType.INT64, LogicalType.STRING, LogicalType.STRING, LogicalType.decimal(10, 2), LogicalType.DATE);
        assertThat(events.get(1).after()).containsEntry("name", "Zoë \"Z\" Li").containsEntry("note", "two\r\nlines")
                .containsEntry("balance", null);
        assertThat(events.get(2).source().position()).as("the quoted line break counts").isEqualTo("customers.csv:5");
        assertThat(events.get(2).source().seqLow()).isEqualTo(5);
        assertThat(events).extracting(e -> e.source().seqHigh()).containsOnly(first.source().seqHigh());
    }

    @Test
    void latin1FileAndAFileNotInItsDeclaredCharset() throws Exception {
        Path latin = dir.resolve("latin");
        Path utf8 = dir.resolve("utf8");
        String columns = """
                      columns:
                        - {name: id, type: int32}
                        - {name: city, type: string, maxLength: 20}
                """;
        LakeshiftConfig config = config("""
                  - name: legacy_latin
                    kind: file
                    tables: [geo.cities]
                    settings:
                      directory: %s
                      charset: ISO-8859-1
                      delimiter: ";"
                      stableForMs: 200
                %s
                  - name: legacy_utf8
                    kind: file
                    tables: [geo.cities]
                    settings:
                      directory: %s
                      delimiter: ";"
                      stableForMs: 200
                %s
                """.formatted(latin, columns, utf8, columns));
        byte[] content = "id;city\n1;München\n2;Besançon\n".getBytes(StandardCharsets.ISO_8859_1);
        try (CamelSources sources = start(config)) {
            awaitGone(TestConfigs.drop(latin, "cities.csv", content));
            awaitGone(TestConfigs.drop(utf8, "cities.csv", content));
            assertThat(utf8.resolve("error/cities.csv")).exists();
            assertThat(Files.readString(utf8.resolve("error/cities.csv.reason.txt")))
                    .contains("not valid UTF-8 text at byte 11 (line 2)");
            assertThat(sources.monitor("legacy_utf8").counter("unreadableFiles")).isEqualTo(1);
        }
        List<ChangeEvent> events = kafka.events("it.legacy_latin.geo.cities", 2);
        assertThat(events).extracting(e -> e.after().get("city")).containsExactly("München", "Besançon");
        assertThat(kafka.records("it.legacy_utf8.geo.cities", 0)).as("nothing of an unreadable file").isEmpty();
    }

    @Test
    void fixedWidthWithAnOperationColumn() throws Exception {
        Path inbox = dir.resolve("fw");
        LakeshiftConfig config = config("""
                  - name: mainframe
                    kind: file
                    tables: [billing.accounts]
                    settings:
                      directory: %s
                      format: fixed-width
                      stableForMs: 200
                      key: [account]
                      operationColumn: action
                      operationCodes: {A: c, C: u, X: d}
                      columns:
                        - {name: action, type: string, offset: 0, length: 1}
                        - {name: account, type: int64, offset: 1, length: 8}
                        - {name: holder, type: string, offset: 9, length: 12}
                        - {name: opened, type: date, offset: 21, length: 8, format: uuuuMMdd}
                        - {name: limit_amount, type: "decimal(9,2)", offset: 29, length: 10}
                """.formatted(inbox));
        String file = "A00000042Ann Lee     20240131   1500.00\n"
                + "C00000042Ann Lee-Kim 20240131   2500.00\n"
                + "X00000042                              \n"
                + "Q00000043Bad Op      20240131      1.00\n";
        try (CamelSources sources = start(config)) {
            awaitGone(TestConfigs.drop(inbox, "ACCT.DAT", file));
        }
        List<ChangeEvent> events = kafka.events("it.mainframe.billing.accounts", 3);
        assertThat(events).extracting(ChangeEvent::op).containsExactly(Op.CREATE, Op.UPDATE, Op.DELETE);
        assertThat(events.get(0).after()).containsEntry("account", 42).containsEntry("holder", "Ann Lee")
                .containsEntry("opened", "2024-01-31").containsEntry("limit_amount", "1500.00").doesNotContainKey("action");
        assertThat(events.get(2).before()).containsEntry("account", 42);
        assertThat(events.get(2).after()).isNull();
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.records("it.mainframe.billing.accounts.dlq", 1);
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(KafkaTestBroker.header(r, DeadLetterHeaders.REASON)).contains("unknown code 'Q'");
            assertThat(KafkaTestBroker.header(r, DeadLetterHeaders.ORIGIN)).isEqualTo("ACCT.DAT:4");
        });
    }

    @Test
    void jsonLinesPickedUpByDoneMarker() throws Exception {
        Path inbox = dir.resolve("jl");
        LakeshiftConfig config = config("""
                  - name: web
                    kind: file
                    tables: [events.clicks]
                    settings:
                      directory: %s
                      format: jsonl
                      pickup: done-marker
                      pollIntervalMs: 200
                      key: [id]
                      columns:
                        - {name: id, type: int64}
                        - {name: at, type: timestamptz, required: true}
                        - {name: props, type: json}
                        - {name: price, type: "decimal(8,3)"}
                """.formatted(inbox));
        try (CamelSources sources = start(config)) {
            Path data = TestConfigs.drop(inbox, "clicks.jsonl", "{\"id\": 1, \"at\": \"2026-03-01T10:00:00+01:00\", \"props\": {\"a\": [1, 2]}, \"price\": 1.5}\n"
                    + "{\"id\": 2, \"at\": \"2026-03-01T10:00:01Z\", \"props\": null, \"price\": \"2\"}\n");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> Files.exists(data));
            TestConfigs.drop(inbox, "clicks.jsonl.done", "");
            awaitGone(data);
            await().atMost(WAIT).until(() -> !Files.exists(inbox.resolve("clicks.jsonl.done")));
        }
        List<ChangeEvent> events = kafka.events("it.web.events.clicks", 2);
        assertThat(events.get(0).after()).containsEntry("at", "2026-03-01T09:00:00.000000Z")
                .containsEntry("props", "{\"a\":[1,2]}").containsEntry("price", "1.500");
        assertThat(events.get(1).after()).containsEntry("props", null).containsEntry("price", "2.000");
        assertThat(events.get(1).source().position()).isEqualTo("clicks.jsonl:2");
    }

    @Test
    void fiveMalformedRowsAmongAThousandAreDeadLetteredAndTheRestFlows() throws Exception {
        Path inbox = dir.resolve("orders");
        LakeshiftConfig config = config(ordersSource("shop", inbox, 100, 200, 1000));
        StringBuilder csv = new StringBuilder("order_id,customer,amount,placed\n");
        Map<Integer, String> broken = Map.of(
                101, "x101,ann,1.00,2026-01-01",
                251, "251,ann,1.00,2026-01-01,surplus",
                501, "501,ann,1.234,2026-01-01",
                751, "751,,1.00,2026-01-01",
                1000, "1000,ann,1.00,2026-13-45");
        for (int i = 1; i <= 1000; i++) {
            csv.append(broken.getOrDefault(i, i + ",cust" + (i % 17) + "," + (i % 100) + "." + (i % 10) + "0,2026-01-" + String.format("%02d", 1 + i % 28)))
                    .append('\n');
        }
        try (CamelSources sources = start(config)) {
            awaitGone(TestConfigs.drop(inbox, "orders-2026-01-01.csv", csv.toString()));
            assertThat(sources.monitor("shop").counter("events")).isEqualTo(995);
            assertThat(sources.monitor("shop").counter("deadLetters")).isEqualTo(5);
            assertThat(sources.monitor("shop").counter("records")).isEqualTo(1000);
        }
        assertThat(kafka.events("it.shop.retail.orders", 995)).hasSize(995);
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.records("it.shop.retail.orders.dlq", 5);
        assertThat(dead).hasSize(5);
        Map<String, String> reasons = dead.stream().collect(Collectors.toMap(
                r -> KafkaTestBroker.header(r, DeadLetterHeaders.ORIGIN), r -> KafkaTestBroker.header(r, DeadLetterHeaders.REASON)));
        assertThat(reasons).containsOnlyKeys("orders-2026-01-01.csv:102", "orders-2026-01-01.csv:252",
                "orders-2026-01-01.csv:502", "orders-2026-01-01.csv:752", "orders-2026-01-01.csv:1001");
        assertThat(reasons.get("orders-2026-01-01.csv:102")).isEqualTo("column 'order_id': 'x101' is not a valid int64");
        assertThat(reasons.get("orders-2026-01-01.csv:252")).isEqualTo("5 fields where 4 are expected");
        assertThat(reasons.get("orders-2026-01-01.csv:502")).contains("more than 2 decimal places");
        assertThat(reasons.get("orders-2026-01-01.csv:752")).isEqualTo("column 'customer' is required but empty");
        assertThat(reasons.get("orders-2026-01-01.csv:1001")).contains("'2026-13-45' is not a valid date");
        ConsumerRecord<byte[], byte[]> first = dead.stream()
                .filter(r -> "orders-2026-01-01.csv:102".equals(KafkaTestBroker.header(r, DeadLetterHeaders.ORIGIN))).findFirst().orElseThrow();
        assertThat(KafkaTestBroker.header(first, OutboundMessages.RAW)).isEqualTo("x101,ann,1.00,2026-01-01");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("x101,ann,1.00,2026-01-01");
        assertThat(KafkaTestBroker.header(first, DeadLetterHeaders.STAGE)).isEqualTo("camel");
    }

    @Test
    void theSameFileDroppedTwiceGivesOneSetOfEventsAlsoAcrossARestart() throws Exception {
        Path inbox = dir.resolve("twice");
        LakeshiftConfig config = config(ordersSource("twice", inbox, 100, 200, 1000));
        String csv = "order_id,customer,amount,placed\n1,ann,1.00,2026-01-01\n2,bob,2.00,2026-01-02\n";
        try (CamelSources sources = start(config)) {
            awaitGone(TestConfigs.drop(inbox, "orders.csv", csv));
            assertThat(kafka.events("it.twice.retail.orders", 2)).hasSize(2);
            awaitGone(TestConfigs.drop(inbox, "orders.csv", csv));
            assertThat(sources.monitor("twice").counter("duplicateFiles")).isEqualTo(1);
        }
        try (CamelSources sources = start(config)) {
            awaitGone(TestConfigs.drop(inbox, "orders.csv", csv));
            assertThat(sources.monitor("twice").counter("duplicateFiles")).isEqualTo(1);
            // same name, other content: a new file
            awaitGone(TestConfigs.drop(inbox, "orders.csv", csv + "3,cy,3.00,2026-01-03\n"));
        }
        List<ChangeEvent> events = kafka.events("it.twice.retail.orders", 5);
        assertThat(events).hasSize(5);
        assertThat(events.subList(2, 5)).extracting(e -> e.source().seqHigh()).as("the changed file got the next sequence")
                .containsOnly(events.get(0).source().seqHigh() + 1);
    }

    @Test
    void aRestartInTheMiddleOfAFileRedoesItWithTheSamePositions() throws Exception {
        Path inbox = dir.resolve("restart");
        LakeshiftConfig config = config(ordersSource("restart", inbox, 200, 60_000, 10));
        StringBuilder csv = new StringBuilder("order_id,customer,amount,placed\n");
        for (int i = 1; i <= 1000; i++) {
            csv.append(i).append(",c").append(i).append(',').append(i).append(".00,2026-01-01\n");
        }
        AtomicInteger acknowledgedBatches = new AtomicInteger();
        CamelSources first = CamelSources.create(config, Duration.ofSeconds(10));
        try {
            AdviceWith.adviceWith(first.camelContext(), "file-restart", route -> route.weaveByToUri("kafka:*").after()
                    .process(exchange -> {
                        if (acknowledgedBatches.incrementAndGet() == 30) {
                            throw new IllegalStateException("simulated crash after 300 acknowledged records");
                        }
                    }));
            // dropped before the start: the first poll takes it, the next one would come a minute later
            TestConfigs.drop(inbox, "orders.csv", csv.toString());
            first.start(config.kafka());
            await().atMost(WAIT).until(() -> first.monitor("restart").state().equals("RUNNING")
                    && first.monitor("restart").snapshot().details().containsKey("lastError"));
        } finally {
            first.close();
        }
        assertThat(inbox.resolve("orders.csv")).as("a file not finished stays to be read again").exists();

        try (CamelSources second = start(config(ordersSource("restart", inbox, 200, 200, 10)))) {
            awaitGone(inbox.resolve("orders.csv"));
        }
        List<ChangeEvent> events = kafka.events("it.restart.retail.orders", 1300);
        assertThat(events).hasSize(1300);
        Map<String, List<ChangeEvent>> byPosition = events.stream().collect(Collectors.groupingBy(e -> e.source().position()));
        assertThat(byPosition).hasSize(1000);
        Map<Integer, Integer> copies = new HashMap<>();
        byPosition.values().forEach(list -> copies.merge(list.size(), 1, Integer::sum));
        assertThat(copies).containsEntry(2, 300).containsEntry(1, 700);
        byPosition.values().stream().filter(list -> list.size() == 2).forEach(list -> {
            assertThat(list.get(1).source().seq()).isEqualTo(list.get(0).source().seq());
            assertThat(list.get(1).after()).isEqualTo(list.get(0).after());
        });
    }

    private static String ordersSource(String name, Path inbox, long stableForMs, long pollIntervalMs, int batchSize) {
        return """
                  - name: %s
                    kind: file
                    tables: [retail.orders]
                    settings:
                      directory: %s
                      stableForMs: %d
                      pollIntervalMs: %d
                      batchSize: %d
                      key: [order_id]
                      columns:
                        - {name: order_id, type: int64}
                        - {name: customer, type: string, required: true, maxLength: 40}
                        - {name: amount, type: "decimal(10,2)", required: true}
                        - {name: placed, type: date}
                """.formatted(name, inbox, stableForMs, pollIntervalMs, batchSize);
    }
}
