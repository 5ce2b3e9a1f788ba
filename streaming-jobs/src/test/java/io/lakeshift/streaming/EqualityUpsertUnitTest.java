package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.lakehouse.LakeshiftColumns;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision and bookkeeping around the equality upsert, on real Iceberg tables (Hadoop catalog, local files). */
class EqualityUpsertUnitTest {

    private static final Schema SCHEMA = new Schema(List.of(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "label", Types.StringType.get()),
            Types.NestedField.optional(3, LakeshiftColumns.SEQ_HI, Types.LongType.get()),
            Types.NestedField.optional(4, LakeshiftColumns.SEQ_LO, Types.LongType.get())), Set.of(1));

    private static final Set<String> COLUMNS = Set.of("id", "label", LakeshiftColumns.SEQ_HI, LakeshiftColumns.SEQ_LO, "_ls_op");

    @TempDir
    Path dir;

    HadoopCatalog catalog;

    @BeforeEach
    void open() {
        catalog = new HadoopCatalog(new Configuration(), dir.toUri().toString());
    }

    @Test
    void positionsOrderElementByElementAndReadBackAsWritten() {
        assertThat(new ChangePosition(5, 0).isAfter(new ChangePosition(4, 9))).isTrue();
        assertThat(new ChangePosition(5, 1).isAfter(new ChangePosition(5, 0))).isTrue();
        assertThat(new ChangePosition(5, 1).isAfter(new ChangePosition(5, 1))).isFalse();
        assertThat(new ChangePosition(-3, 0).isAfter(ChangePosition.NONE)).isTrue();
        assertThat(ChangePosition.parse(new ChangePosition(1L << 40, -7).toString())).isEqualTo(new ChangePosition(1L << 40, -7));
        assertThatThrownBy(() -> ChangePosition.parse("12")).hasMessageContaining("not a source position (hi:lo): '12'");
        assertThatThrownBy(() -> ChangePosition.parse("a:b")).hasMessageContaining("'a:b'");
    }

    @Test
    void highWaterIsTheLastRecordedPositionLookingThroughCompactionsOnly() {
        Table table = create("ns.t", PartitionSpec.unpartitioned(), "merge-on-read");
        assertThat(HighWater.of(table)).contains(ChangePosition.NONE);

        table.newAppend().appendFile(file(table, 10, 20L)).set(HighWater.SUMMARY_KEY, "20:1").commit();
        assertThat(HighWater.of(table)).contains(new ChangePosition(20, 1));

        // a compaction changes no row: the recorded position still holds
        DataFile compacted = file(table, 10, 20L);
        table.newRewrite().deleteFile(table.currentSnapshot().addedDataFiles(table.io()).iterator().next()).addFile(compacted).commit();
        assertThat(HighWater.of(table)).contains(new ChangePosition(20, 1));

        // another writer's rows: the position comes from the files' metrics, any lo
        table.newAppend().appendFile(file(table, 5, 70L)).commit();
        assertThat(HighWater.of(table)).contains(new ChangePosition(70, Long.MAX_VALUE));

        // rows that carry no position at all (a full reload) do not raise it
        table.newAppend().appendFile(file(table, 5, null)).commit();
        assertThat(HighWater.of(table)).contains(new ChangePosition(70, Long.MAX_VALUE));

        // a file without metrics for the position: unknown
        table.newAppend().appendFile(DataFiles.builder(table.spec()).withPath(dir.resolve("bare.parquet").toString())
                .withFileSizeInBytes(10).withRecordCount(3).build()).commit();
        assertThat(HighWater.of(table)).isEmpty();
    }

    @Test
    void onlyABatchNewerThanTableAndMarkersOnAKeyLayoutIsUpsertedByEqualityDeletes() {
        Table table = create("ns.items", PartitionSpec.unpartitioned(), "merge-on-read");
        Table markers = create("ns.items__deletes", PartitionSpec.unpartitioned(), "merge-on-read");
        ApplyTarget target = new ApplyTarget("p", "topic", "cat.ns.items", List.of("id"), List.of(), null);
        table.newAppend().appendFile(file(table, 10, 20L)).set(HighWater.SUMMARY_KEY, "20:1").commit();
        markers.newAppend().appendFile(file(markers, 1, 30L)).set(HighWater.SUMMARY_KEY, "30:1").commit();

        ApplyPath newer = ApplyPath.choose(table, markers, target, COLUMNS, new ChangePosition(30, 2));
        assertThat(newer.equalityUpsert()).isTrue();
        assertThat(newer.summaryAfter(new ChangePosition(45, 1), Map.of("k", "v")))
                .containsEntry(HighWater.SUMMARY_KEY, "45:1").containsEntry("k", "v");

        ApplyPath replay = ApplyPath.choose(table, markers, target, COLUMNS, new ChangePosition(30, 1));
        assertThat(replay.equalityUpsert()).isFalse();
        assertThat(replay.describe()).contains("at or before the table's highest position 30:1");
        // the table keeps its high water when a replayed batch ends before it
        assertThat(replay.summaryAfter(new ChangePosition(25, 1), Map.of())).containsEntry(HighWater.SUMMARY_KEY, "30:1");

        assertThat(ApplyPath.choose(table, markers, target, COLUMNS, null).reason()).isEqualTo("a change has no source position");
        assertThat(ApplyPath.choose(table, markers, new ApplyTarget("p", "topic", "t", List.of("id"), List.of(), "SELECT * FROM changes"),
                COLUMNS, new ChangePosition(99, 0)).equalityUpsert()).isFalse();
        assertThat(ApplyPath.choose(table, markers, target, Set.of("id", "label", LakeshiftColumns.SEQ_HI), new ChangePosition(99, 0))
                .reason()).isEqualTo("the table has column(s) _ls_seq_lo the changes do not carry");

        Table byLabel = create("ns.by_label", PartitionSpec.builderFor(SCHEMA).identity("label").build(), "merge-on-read");
        assertThat(EqualityUpsert.unsupportedReason(byLabel, List.of("id")))
                .isEqualTo("it is partitioned by label, not by the key alone (a change can move a row to another partition)");
        Table byKey = create("ns.by_key", PartitionSpec.builderFor(SCHEMA).bucket("id", 4).build(), "merge-on-read");
        assertThat(EqualityUpsert.unsupportedReason(byKey, List.of("id"))).isNull();
        Table rewriting = create("ns.cow", PartitionSpec.unpartitioned(), "copy-on-write");
        assertThat(EqualityUpsert.unsupportedReason(rewriting, List.of("id"))).isEqualTo("the table is copy-on-write");
    }

    @Test
    void internalRowsBecomeIcebergRecordsOfEveryWrittenType() {
        Schema schema = new Schema(List.of(
                Types.NestedField.required(1, "b", Types.BooleanType.get()),
                Types.NestedField.optional(2, "i", Types.IntegerType.get()),
                Types.NestedField.optional(3, "l", Types.LongType.get()),
                Types.NestedField.optional(4, "f", Types.FloatType.get()),
                Types.NestedField.optional(5, "d", Types.DoubleType.get()),
                Types.NestedField.optional(6, "dec", Types.DecimalType.of(20, 6)),
                Types.NestedField.optional(7, "s", Types.StringType.get()),
                Types.NestedField.optional(8, "day", Types.DateType.get()),
                Types.NestedField.optional(9, "tz", Types.TimestampType.withZone()),
                Types.NestedField.optional(10, "ntz", Types.TimestampType.withoutZone()),
                Types.NestedField.optional(11, "bin", Types.BinaryType.get()),
                Types.NestedField.optional(12, "nothing", Types.StringType.get())));
        long micros = 1_764_000_000_123_456L;
        GenericInternalRow row = new GenericInternalRow(new Object[] {true, 7, 1L << 40, 1.5f, 2.25, Decimal.apply(new BigDecimal("-12345678901234.123456")),
            UTF8String.fromString("Zoë « 李 »"), (int) LocalDate.of(2026, 2, 28).toEpochDay(), micros, micros, new byte[] {0, (byte) 0xff}, null});

        Record record = new InternalRowRecords(schema).toRecord(row);

        assertThat(record.getField("b")).isEqualTo(true);
        assertThat(record.getField("i")).isEqualTo(7);
        assertThat(record.getField("l")).isEqualTo(1L << 40);
        assertThat(record.getField("f")).isEqualTo(1.5f);
        assertThat(record.getField("d")).isEqualTo(2.25);
        assertThat(record.getField("dec")).isEqualTo(new BigDecimal("-12345678901234.123456"));
        assertThat(record.getField("s")).isEqualTo("Zoë « 李 »");
        assertThat(record.getField("day")).isEqualTo(LocalDate.of(2026, 2, 28));
        assertThat(record.getField("tz")).isEqualTo(OffsetDateTime.of(2025, 11, 24, 16, 0, 0, 123_456_000, ZoneOffset.UTC));
        assertThat(record.getField("ntz")).isEqualTo(LocalDateTime.of(2025, 11, 24, 16, 0, 0, 123_456_000));
        assertThat(record.getField("bin")).isEqualTo(ByteBuffer.wrap(new byte[] {0, (byte) 0xff}));
        assertThat(record.getField("nothing")).isNull();

        Schema nested = new Schema(Types.NestedField.optional(1, "tags", Types.ListType.ofOptional(2, Types.StringType.get())));
        assertThat(InternalRowRecords.unsupportedColumn(nested)).isEqualTo("column tags has type list<string>");
        assertThatThrownBy(() -> new InternalRowRecords(nested)).hasMessage("column tags has type list<string>");
    }

    private Table create(String name, PartitionSpec spec, String mode) {
        return catalog.buildTable(TableIdentifier.parse(name), SCHEMA).withPartitionSpec(spec)
                .withProperties(Map.of(TableProperties.FORMAT_VERSION, "2", TableProperties.MERGE_MODE, mode)).create();
    }

    /** A data file entry with the given upper bound of the position (null: every row without one). */
    private DataFile file(Table table, long rows, Long maxHi) {
        Metrics metrics = new Metrics(rows, Map.of(), Map.of(), Map.of(3, maxHi == null ? rows : 0L), Map.of(),
                maxHi == null ? Map.of() : Map.of(3, Conversions.toByteBuffer(Types.LongType.get(), 0L)),
                maxHi == null ? Map.of() : Map.of(3, Conversions.toByteBuffer(Types.LongType.get(), maxHi)));
        DataFiles.Builder builder = DataFiles.builder(table.spec()).withPath(dir.resolve("f" + System.nanoTime() + ".parquet").toString())
                .withFileSizeInBytes(100).withRecordCount(rows).withMetrics(metrics);
        if (!table.spec().isUnpartitioned()) {
            builder.withPartitionPath(table.spec().fields().get(0).name() + "=x");
        }
        return builder.build();
    }
}
