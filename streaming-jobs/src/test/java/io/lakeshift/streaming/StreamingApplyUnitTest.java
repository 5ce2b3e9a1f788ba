package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class StreamingApplyUnitTest {

    @Test
    void mergeAppliesOnlyNewerChangesAndDeletesByKey() {
        ApplyTarget target = new ApplyTarget("p", "t", "cat.ns.lines", List.of("order_id", "line_no"), List.of(
                new ApplyTarget.TargetColumn("order_id", DataTypes.LongType, true),
                new ApplyTarget.TargetColumn("line_no", DataTypes.IntegerType, true),
                new ApplyTarget.TargetColumn("qty", DataTypes.IntegerType, false)));

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
}
