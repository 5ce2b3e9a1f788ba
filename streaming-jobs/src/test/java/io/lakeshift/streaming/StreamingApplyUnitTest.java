package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class StreamingApplyUnitTest {

    @Test
    void aFullBatchIsOneReadTaskPerCoreAndASmallOneIsOne() {
        assertThat(StreamingApplyJob.recordsPerTask(200_000, 2)).isEqualTo(100_000);
        assertThat(StreamingApplyJob.recordsPerTask(200_001, 2)).as("never a third task for the last record").isEqualTo(100_001);
        assertThat(StreamingApplyJob.recordsPerTask(1_000_000, 4)).isEqualTo(250_000);
        assertThat(StreamingApplyJob.recordsPerTask(Long.MAX_VALUE, 2)).isPositive();
        assertThat(StreamingApplyJob.recordsPerTask(1, 0)).isEqualTo(1);
    }


    @Test
    void mergeAppliesOnlyNewerChangesAndDeletesByKey() {
        ApplyTarget target = new ApplyTarget("p", "t", "cat.ns.lines", List.of("order_id", "line_no"), List.of(
                new ApplyTarget.TargetColumn("order_id", DataTypes.LongType, true),
                new ApplyTarget.TargetColumn("line_no", DataTypes.IntegerType, true),
                new ApplyTarget.TargetColumn("qty", DataTypes.IntegerType, false)), null);

        String sql = ChangeBatchApplier.MergeStatement.build(target, "v");

        assertThat(sql).startsWith("MERGE INTO cat.ns.lines t USING v s ON t.`order_id` = s.`order_id` AND t.`line_no` = s.`line_no`")
                .contains("WHEN MATCHED AND s.`_ls_op` = 'd' AND (t.`_ls_seq_hi` IS NULL OR s.`_ls_seq_hi` > t.`_ls_seq_hi`"
                        + " OR (s.`_ls_seq_hi` = t.`_ls_seq_hi` AND s.`_ls_seq_lo` > t.`_ls_seq_lo`)) THEN DELETE")
                .contains("THEN UPDATE SET t.`order_id` = s.`order_id`, t.`line_no` = s.`line_no`, t.`qty` = s.`qty`,"
                        + " t.`_ls_seq_hi` = s.`_ls_seq_hi`")
                .endsWith("WHEN NOT MATCHED AND s.`_ls_op` <> 'd' THEN INSERT (`order_id`, `line_no`, `qty`, `_ls_seq_hi`,"
                        + " `_ls_seq_lo`, `_ls_source_ts`) VALUES (s.`order_id`, s.`line_no`, s.`qty`, s.`_ls_seq_hi`,"
                        + " s.`_ls_seq_lo`, s.`_ls_source_ts`)");
        assertThat(ChangeBatchApplier.MergeStatement.q("we`ird")).isEqualTo("`we``ird`");
    }

    @Test
    void envelopeParserKeepsTheExactTextOfEachTargetColumnAndSkipsTheRest() {
        EnvelopeParser parser = new EnvelopeParser(List.of("id", "price", "tags", "gone"));
        String json = "{\"op\":\"u\",\"ts_ms\":5,\"before\":null,"
                + "\"after\":{\"id\":12345678901234567890,\"price\":12345678901234567.891,\"tags\":{\"a\":[1,2]},"
                + "\"extra\":\"x\",\"gone\":null},"
                + "\"source\":{\"connector\":\"pg\",\"seq\":[7,8],\"snapshot\":false,\"ts_ms\":1700000000000,\"nested\":{\"x\":[1]}},"
                + "\"columns\":[{\"name\":\"id\",\"type\":\"int64\",\"optional\":false},{\"name\":\"qty\",\"type\":\"int32\"}]}";

        org.apache.spark.sql.Row row = parser.call(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(row.getString(0)).isEqualTo("u");
        assertThat(row.isNullAt(1)).isTrue();
        org.apache.spark.sql.Row after = row.getStruct(2);
        assertThat(after.getString(0)).isEqualTo("12345678901234567890");
        assertThat(after.getString(1)).isEqualTo("12345678901234567.891");
        assertThat(after.getString(2)).isEqualTo("{\"a\":[1,2]}");
        assertThat(after.isNullAt(3)).isTrue();
        org.apache.spark.sql.Row source = row.getStruct(3);
        assertThat(source.get(0)).isEqualTo(List.of(7L, 8L));
        assertThat(source.getBoolean(1)).isFalse();
        assertThat(source.getLong(2)).isEqualTo(1700000000000L);
        assertThat(EnvelopeParser.declarations(row.getString(4)))
                .containsExactly(Map.entry("id", "int64"), Map.entry("qty", "int32"));

        assertThat(parser.call("not json at all".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isNull();
        assertThat(parser.call("[1,2]".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isNull();
        assertThat(parser.call(null)).isNull();
        // a field of the wrong shape reads as null, the rest of the envelope still reads
        org.apache.spark.sql.Row odd = parser.call("{\"op\":\"c\",\"after\":\"text\",\"source\":{\"seq\":[1,\"x\"],\"ts_ms\":1.5}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(odd.getString(0)).isEqualTo("c");
        assertThat(odd.isNullAt(2)).isTrue();
        assertThat(odd.getStruct(3).isNullAt(0)).isTrue();
        assertThat(odd.getStruct(3).isNullAt(2)).isTrue();
        assertThat(odd.isNullAt(4)).isTrue();
    }

    @Test
    void sourceAndKafkaPositionsPackIntoOneLongOnlyWhenTheBatchRangesFit() {
        ChangeRows.Packing.Builder fits = new ChangeRows.Packing.Builder();
        fits.add(0, 10, 100, 200, 0, 5);
        fits.add(3, 1L << 40, 150, 100 + (1L << 30) - 1, 2, (1L << 32) - 1);
        assertThat(fits.build()).isEqualTo(new ChangeRows.Packing(100, 0));

        ChangeRows.Packing.Builder wideHi = new ChangeRows.Packing.Builder();
        wideHi.add(0, 10, Long.MIN_VALUE, Long.MAX_VALUE, 0, 0);
        assertThat(wideHi.build()).isNull();
        ChangeRows.Packing.Builder wideLo = new ChangeRows.Packing.Builder();
        wideLo.add(0, 10, 0, 0, -1, (1L << 32));
        assertThat(wideLo.build()).isNull();
        ChangeRows.Packing.Builder farOffset = new ChangeRows.Packing.Builder();
        farOffset.add(0, 1L << 43, 0, 0, 0, 0);
        assertThat(farOffset.build()).isNull();
        ChangeRows.Packing.Builder nullPart = new ChangeRows.Packing.Builder();
        nullPart.add(0, 10, 0, 0, 0, 0);
        nullPart.unpackable();
        assertThat(nullPart.build()).isNull();
        assertThat(new ChangeRows.Packing.Builder().build()).isNull();
    }

    @Test
    void freshnessPercentilesAreWeightedByChangeCount() {
        FreshnessRecorder recorder = new FreshnessRecorder();
        assertThat(recorder.percentile(0.5)).isEqualTo(-1);
        recorder.record(100, 8);
        recorder.record(900, 1);
        recorder.record(5_000, 1);

        assertThat(recorder.percentile(0.5)).isEqualTo(100);
        assertThat(recorder.percentile(0.9)).isEqualTo(900);
        assertThat(recorder.percentile(0.99)).isEqualTo(5_000);
        assertThat(recorder.max()).isEqualTo(5_000);
        assertThat(recorder.count()).isEqualTo(10);
    }

    @Test
    void caughtUpWhenEveryPartitionReachedItsEndOffset() {
        assertThat(RunningApply.caughtUp(Map.of("t-0", 10L, "u-0", 0L), Map.of("t-0", 9L))).isTrue();
        assertThat(RunningApply.caughtUp(Map.of("t-0", 10L), Map.of("t-0", 8L))).isFalse();
        assertThat(RunningApply.caughtUp(Map.of("t-0", 10L), Map.of())).isFalse();
    }

    @Test
    void canonicalInstantsAreReadExactlyAndAnythingElseIsLeftToSparksCast() {
        for (String text : List.of("2026-11-23T10:15:30.123456Z", "1970-01-01T00:00:00.000000Z", "1969-12-31T23:59:59.999999Z",
                "0001-01-01T00:00:00.000001Z", "9999-12-31T23:59:59.999999Z", "2024-02-29T12:00:00Z")) {
            java.time.Instant instant = java.time.Instant.parse(text);
            long expected = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
            assertThat(CanonicalInstant.micros(text)).as(text).isEqualTo(expected);
        }
        for (String text : List.of("2026-11-23 10:15:30.123456Z", "2026-11-23T10:15:30.123456+02:00", "2026-11-23T10:15:30.1234Z",
                "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T10:15:3x.123456Z", "")) {
            assertThat(new CanonicalInstant().call(text)).as(text).isNull();
        }
        assertThat(new CanonicalInstant().call(null)).isNull();
    }
}
