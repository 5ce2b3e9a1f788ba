package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.envelope.ChangeEvent;
import io.lakeshift.core.envelope.ChangeEventCodec;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.envelope.Op;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Debezium PostgreSQL records, built as the connector builds them, into Lakeshift envelopes. */
class EnvelopeConverterTest {

    private static final Schema DECIMAL_12_2 = Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build();
    private static final Schema ROW = SchemaBuilder.struct().name("retail.retail.orders.Value").optional()
            .field("order_id", Schema.INT64_SCHEMA)
            .field("total", DECIMAL_12_2)
            .field("amount", SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal").optional()
                    .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build())
            .field("order_date", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
            .field("placed_at", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
            .field("shipped_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
            .field("pickup", SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build())
            .field("paid", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("payload", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
            .field("ref", SchemaBuilder.string().name("io.debezium.data.Uuid").optional().build())
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field("ratio", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("db", Schema.STRING_SCHEMA).field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("retail.retail.orders.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema KEY = SchemaBuilder.struct().field("order_id", Schema.INT64_SCHEMA).build();

    private final EnvelopeConverter converter = new EnvelopeConverter("retail", Map.of());

    /** Encodes with the converter and reads back with the core codec, as every sink does. */
    private static ChangeEvent convert(EnvelopeConverter converter, SourceRecord record) {
        EncodedChange encoded = converter.convert(record);
        return ChangeEventCodec.decode(encoded.key(), encoded.value());
    }

    private ChangeEvent convert(SourceRecord record) {
        return convert(converter, record);
    }

    @Test
    void everyTypeIsWrittenInItsExactForm() {
        Struct after = new Struct(ROW)
                .put("order_id", 42L)
                .put("total", new BigDecimal("1234567890.10"))
                .put("amount", new Struct(ROW.field("amount").schema()).put("scale", 4)
                        .put("value", new BigInteger("123456789").toByteArray()))
                .put("order_date", (int) LocalDate.of(2026, 2, 28).toEpochDay())
                .put("placed_at", "2026-05-01T10:15:30.123456+02:00")
                .put("shipped_at", 1_777_630_530_000_001L)
                .put("pickup", 3_600_000_000L + 5L)
                .put("paid", true)
                .put("note", "Zoë « 李小龍 »")
                .put("payload", "{\"a\": [1, 2]}")
                .put("ref", "0b0c1d2e-3f40-4152-8364-758697a8b9ca")
                .put("blob", ByteBuffer.wrap("héllo".getBytes(StandardCharsets.UTF_8)))
                .put("tags", List.of("x", "y"))
                .put("ratio", 0.1);

        ChangeEvent event = convert(record("c", null, after, "false", 23_000_000L));

        assertThat(event.op()).isEqualTo(Op.CREATE);
        assertThat(event.key()).containsExactly(Map.entry("order_id", 42));
        assertThat(event.after())
                .containsEntry("total", "1234567890.10")
                .containsEntry("amount", "12345.6789")
                .containsEntry("order_date", "2026-02-28")
                .containsEntry("placed_at", "2026-05-01T08:15:30.123456Z")
                .containsEntry("shipped_at", "2026-05-01T10:15:30.000001")
                .containsEntry("pickup", "01:00:00.000005")
                .containsEntry("paid", true)
                .containsEntry("note", "Zoë « 李小龍 »")
                .containsEntry("payload", "{\"a\": [1, 2]}")
                .containsEntry("ref", "0b0c1d2e-3f40-4152-8364-758697a8b9ca")
                .containsEntry("blob", "aMOpbGxv")
                .containsEntry("tags", List.of("x", "y"))
                .containsEntry("ratio", new BigDecimal("0.1"));
        assertThat(event.columns()).contains(
                new Column("order_id", LogicalType.INT64, false),
                new Column("total", LogicalType.decimal(12, 2), true),
                new Column("amount", LogicalType.decimal(0, 0), true),
                new Column("order_date", LogicalType.DATE, true),
                new Column("placed_at", LogicalType.TIMESTAMPTZ, true),
                new Column("shipped_at", LogicalType.TIMESTAMP, true),
                new Column("pickup", LogicalType.TIME, true),
                new Column("payload", LogicalType.JSON, true),
                new Column("ref", LogicalType.UUID, true),
                new Column("blob", LogicalType.BINARY, true),
                new Column("tags", LogicalType.JSON, true));
        assertThat(event.source().position()).isEqualTo("lsn=0/15EF3C0");
        assertThat(event.source().seq()).containsExactly(23_000_000L, 1L);
        assertThat(event.source().snapshot()).isFalse();
    }

    @Test
    void nullsStayNull() {
        Struct after = new Struct(ROW).put("order_id", 1L);
        ChangeEvent event = convert(record("u", null, after, "false", 10L));
        assertThat(event.after()).containsEntry("total", null).containsEntry("placed_at", null).containsEntry("blob", null);
    }

    @Test
    void snapshotReadsSortBeforeStreamedChangesAtTheSameLsn() {
        Struct row = new Struct(ROW).put("order_id", 1L);
        EnvelopeConverter converter = new EnvelopeConverter("legacy", new PostgresDialect(), Map.of());
        ChangeEvent read = convert(converter, record("r", null, row, "true", 500L));
        ChangeEvent nextRead = convert(converter, record("r", null, new Struct(ROW).put("order_id", 2L), "true", 500L));
        ChangeEvent update = convert(converter, record("u", null, row, "false", 500L));
        assertThat(read.source().snapshot()).isTrue();
        assertThat(read.source().seq()).containsExactly(500L, Long.MIN_VALUE + 1);
        // every read of one snapshot shares its LSN: the order of reading tells them apart, so they strictly rise
        assertThat(nextRead.source().seq()).containsExactly(500L, Long.MIN_VALUE + 2);
        assertThat(update.source().seq()).containsExactly(500L, 1L);
    }

    @Test
    void deleteCarriesTheKeyFromBefore() {
        Struct before = new Struct(ROW).put("order_id", 9L);
        ChangeEvent event = convert(record("d", before, null, "false", 10L));
        assertThat(event.op()).isEqualTo(Op.DELETE);
        assertThat(event.after()).isNull();
        assertThat(event.row()).containsEntry("order_id", 9);
        assertThat(event.key()).containsExactly(Map.entry("order_id", 9));
    }

    @Test
    void tableWithoutPrimaryKeyUsesConfiguredKeyOrWholeRow() {
        Struct row = new Struct(ROW).put("order_id", 3L).put("note", "n");
        SourceRecord keyless = new SourceRecord(Map.of(), Map.of(), "t", null, null, null, ENVELOPE,
                envelope("c", null, row, "false", 1L));

        assertThat(convert(keyless).key()).containsEntry("order_id", 3).containsEntry("note", "n").hasSize(ROW.fields().size());
        EnvelopeConverter configured = new EnvelopeConverter("retail", Map.of("retail.orders", List.of("note")));
        assertThat(convert(configured, keyless).key()).containsExactly(Map.entry("note", "n"));
        EnvelopeConverter wrong = new EnvelopeConverter("retail", Map.of("retail.orders", List.of("nope")));
        assertThatThrownBy(() -> wrong.convert(keyless)).hasMessageContaining("configured key column 'nope' is not in retail.orders");
    }

    @Test
    void lsnIsPrintedInPostgresNotation() {
        assertThat(PostgresDialect.formatLsn(0x16_B374D848L)).isEqualTo("16/B374D848");
    }

    @Test
    void aNullStaysNullEvenWhenTheColumnHasADefault() {
        Schema row = SchemaBuilder.struct().name("shop.shop.t.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("qty", SchemaBuilder.int32().optional().defaultValue(7).build())
                .build();
        Schema envelope = envelopeSchema(row);
        Struct after = new Struct(row).put("id", 1).put("qty", null);
        SourceRecord r = new SourceRecord(Map.of(), Map.of(), "t", null, null, null, envelope,
                new Struct(envelope).put("after", after).put("op", "c").put("source", new Struct(SOURCE).put("db", "shop")
                        .put("schema", "shop").put("table", "t").put("snapshot", "false").put("lsn", 1L).put("ts_ms", 0L)));
        assertThat(convert(r).after()).containsEntry("qty", null);
    }

    @Test
    void mysqlSeqSortsByBinlogFileThenPositionThenRow() {
        EnvelopeConverter mysql = new EnvelopeConverter("legacy", new MySqlDialect("mariadb"), Map.of());
        ChangeEvent snapshot = convert(mysql, mysqlRecord("r", "mysql-bin.000009", 4_000_000_000L, 0, "true"));
        ChangeEvent firstRow = convert(mysql, mysqlRecord("c", "mysql-bin.000009", 4_000_000_100L, 0, "false"));
        ChangeEvent secondRow = convert(mysql, mysqlRecord("c", "mysql-bin.000009", 4_000_000_100L, 1, "false"));
        ChangeEvent nextFile = convert(mysql, mysqlRecord("u", "mysql-bin.000010", 4L, 0, "false"));

        assertThat(snapshot.source().seq()).containsExactly(9L << 32 | 4_000_000_000L, Long.MIN_VALUE + 1);
        assertThat(firstRow.source().seq()).containsExactly(9L << 32 | 4_000_000_100L, 1L);
        assertThat(secondRow.source().seq()).containsExactly(9L << 32 | 4_000_000_100L, 2L);
        assertThat(nextFile.source().seqHigh()).isGreaterThan(secondRow.source().seqHigh());
        assertThat(firstRow.source().system()).isEqualTo("mariadb");
        assertThat(firstRow.source().schema()).isEqualTo("shop");
        assertThat(firstRow.source().position()).isEqualTo("binlog=mysql-bin.000009:4000000100 row=0");
        assertThat(snapshot.source().snapshot()).isTrue();
    }

    @Test
    void mysqlTimeOutsideOneDayKeepsItsHoursAndSign() {
        assertThat(ConnectValues.time(-(838L * 3600 + 59 * 60 + 59) * 1_000_000L)).isEqualTo("-838:59:59.000000");
        assertThat(ConnectValues.time(25L * 3_600_000_000L + 1)).isEqualTo("25:00:00.000001");
    }

    @Test
    void timestampsBeforeTheEpochAndZonedTimestampsInAnyForm() {
        assertThat(ConnectValues.timestamp(-1L)).isEqualTo("1969-12-31T23:59:59.999999");
        assertThat(ConnectValues.timestamp(0L)).isEqualTo("1970-01-01T00:00:00.000000");
        assertThat(ConnectValues.zonedTimestamp("2026-05-01T10:15:30+02:00")).isEqualTo("2026-05-01T08:15:30.000000Z");
        assertThat(ConnectValues.zonedTimestamp("2026-05-01T08:15:30.5Z")).isEqualTo("2026-05-01T08:15:30.500000Z");
        assertThat(ConnectValues.zonedTimestamp("2026-05-01T08:15:30.123456Z")).isEqualTo("2026-05-01T08:15:30.123456Z");
    }

    @Test
    void datesAndTimestampsOutsideYears1To9999AreRefusedWithTheReason() {
        assertThatThrownBy(() -> ConnectValues.timestamp(9_223_372_036_825_200_000L)).hasMessageContaining("outside years 0001-9999");
        assertThatThrownBy(() -> ConnectValues.date(5_000_000L)).hasMessageContaining("outside years 0001-9999");
        assertThat(ConnectValues.date(-719_162L)).isEqualTo("0001-01-01");
    }

    @Test
    void mariaDbDriverRewritesOnlyTheBinlogStatusStatement() {
        assertThat(MariaDbCompatibleDriver.rewrite("SHOW BINARY LOG STATUS")).isEqualTo("SHOW MASTER STATUS");
        assertThat(MariaDbCompatibleDriver.rewrite("select 1")).isEqualTo("select 1");
    }

    private static final Schema MYSQL_SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mysql.Source")
            .field("db", Schema.STRING_SCHEMA).field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).field("file", Schema.STRING_SCHEMA)
            .field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).build();

    private static SourceRecord mysqlRecord(String op, String file, long pos, int row, String snapshot) {
        Schema rowSchema = SchemaBuilder.struct().name("legacy.shop.items.Value").optional().field("id", Schema.INT64_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct().name("legacy.shop.items.Envelope")
                .field("before", rowSchema).field("after", rowSchema).field("source", MYSQL_SOURCE)
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
        Struct image = new Struct(rowSchema).put("id", 5L);
        Struct value = new Struct(envelope).put("after", image).put("before", "u".equals(op) ? image : null).put("op", op)
                .put("source", new Struct(MYSQL_SOURCE).put("db", "shop").put("table", "items").put("snapshot", snapshot)
                        .put("file", file).put("pos", pos).put("row", row).put("ts_ms", 1_700_000_000_000L));
        return new SourceRecord(Map.of(), Map.of(), "lakeshift.legacy.shop.items", null, null, null, envelope, value);
    }

    private static Schema envelopeSchema(Schema row) {
        return SchemaBuilder.struct().name("x.Envelope").field("before", row).field("after", row).field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    }

    private static SourceRecord record(String op, Struct before, Struct after, String snapshot, long lsn) {
        Struct image = after != null ? after : before;
        return new SourceRecord(Map.of(), Map.of(), "lakeshift.retail.retail.orders", null, KEY,
                new Struct(KEY).put("order_id", image.getInt64("order_id")), ENVELOPE, envelope(op, before, after, snapshot, lsn));
    }

    private static Struct envelope(String op, Struct before, Struct after, String snapshot, long lsn) {
        return new Struct(ENVELOPE).put("before", before).put("after", after).put("op", op).put("ts_ms", 1_700_000_000_500L)
                .put("source", new Struct(SOURCE).put("db", "retail").put("schema", "retail").put("table", "orders")
                        .put("snapshot", snapshot).put("lsn", lsn).put("ts_ms", 1_700_000_000_000L));
    }
}
