package io.lakeshift.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures and the last line of {@code lakeshift bench incremental}. */
class IncrementalBenchResultTest {

    @Test
    void theLastLineHoldsBothSizesTheRatioAtTheLargerAndTheGrowth() {
        IncrementalBenchResult result = new IncrementalBenchResult(
                new IncrementalBenchResult.Size(1_000_000, 10_000, 7.04, 4.0, List.of(), List.of(), "ok"),
                new IncrementalBenchResult.Size(10_000_000, 10_000, 70.0, 4.6, List.of(), List.of(), "ok"),
                new IncrementalBenchResult.Maintenance(1000, 1500, 1, 3.2, "compacted"));

        assertThat(result.lastLine()).isEqualTo("bench incremental: full_s_1m=7.0 incremental_s_1m=4.0 full_s_10m=70.0"
                + " incremental_s_10m=4.6 ratio_10m=0.066 growth=1.150 files_before=1500 files_after=1");
        List<String> report = result.report("./lakeshift bench incremental", "2 cores");
        assertThat(report.get(report.size() - 1)).isEqualTo(result.lastLine());
        assertThat(report).contains("ratio at 10,000,000 orders: 0.066 (bar: at most 0.100, met)",
                "growth of (b) from 1,000,000 to 10,000,000 orders: 1.150 (bar: at most 1.300, met)");
    }
}
