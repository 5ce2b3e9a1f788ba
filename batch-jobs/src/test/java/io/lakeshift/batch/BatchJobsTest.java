package io.lakeshift.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.lakehouse.MaintenanceSettings;
import io.lakeshift.lakehouse.SourceTable;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jobs' arguments, source queries, LSNs and value conversions, without Spark or a database. */
class BatchJobsTest {

    @Test
    void everyJobIsFoundByName() {
        assertThat(BatchJobs.all()).extracting(BatchJob::name).containsExactly("full-reload", "daily-revenue", "maintenance");
        assertThat(BatchJobs.find("daily-revenue")).isPresent();
        assertThat(BatchJobs.find("nightly")).isEmpty();
        assertThat(BatchJobs.all()).allSatisfy(j -> assertThat(j.description()).isNotBlank());
    }

    @Test
    void snapshotMethodsParse() {
        assertThat(SourceSnapshot.Method.parse("slot")).isEqualTo(SourceSnapshot.Method.REPLICATION_SLOT);
        assertThat(SourceSnapshot.Method.parse("export")).isEqualTo(SourceSnapshot.Method.EXPORTED_SNAPSHOT);
        assertThatThrownBy(() -> SourceSnapshot.Method.parse("magic")).hasMessageContaining("auto, slot or export");
    }

    @Test
    void theSourceQueryRendersTextColumnsTheWayCdcDoes() {
        SourceTable table = new SourceTable("retail", "orders", List.of(
                new SourceTable.SourceColumn("order_id", LogicalType.INT64, false, "int8"),
                new SourceTable.SourceColumn("payload", LogicalType.JSON, true, "jsonb"),
                new SourceTable.SourceColumn("ref", LogicalType.UUID, true, "uuid"),
                new SourceTable.SourceColumn("tags", LogicalType.JSON, true, "_text"),
                new SourceTable.SourceColumn("total", LogicalType.decimal(12, 2), false, "numeric"),
                new SourceTable.SourceColumn("note", LogicalType.STRING, true, "text"),
                new SourceTable.SourceColumn("at", LogicalType.TIME, true, "time"),
                new SourceTable.SourceColumn("at_tz", LogicalType.STRING, true, "timetz"),
                new SourceTable.SourceColumn("cash", LogicalType.decimal(19, 2), true, "money"),
                new SourceTable.SourceColumn("bits", LogicalType.STRING, true, "bit"),
                new SourceTable.SourceColumn("mood", LogicalType.STRING, true, "mood")), List.of("order_id"));

        assertThat(FullReloadJob.selectFor(table)).isEqualTo("SELECT \"order_id\", \"payload\"::text AS \"payload\","
                + " \"ref\"::text AS \"ref\", array_to_json(\"tags\")::text AS \"tags\", \"total\", \"note\","
                + " to_char(\"at\", 'HH24:MI:SS.US') AS \"at\","
                + " to_char((\"at_tz\" AT TIME ZONE 'UTC')::time, 'HH24:MI:SS.US') || 'Z' AS \"at_tz\","
                + " \"cash\"::numeric AS \"cash\", \"bits\"::text AS \"bits\", \"mood\"::text AS \"mood\""
                + " FROM \"retail\".\"orders\"");
    }

    @Test
    void fullReloadOptions() {
        FullReloadJob.Options o = FullReloadJob.Options.parse(JobArguments.parse(new String[] {"--pipeline", "retail.orders",
            "--partitions", "8", "--snapshot", "export", "--branch", "reload"}, FullReloadJob.OPTIONS));

        assertThat(o.partitions()).isEqualTo(8);
        assertThat(o.method()).isEqualTo(SourceSnapshot.Method.EXPORTED_SNAPSHOT);
        assertThat(o.branch()).isEqualTo("reload");
        assertThat(FullReloadJob.Options.parse(JobArguments.parse(new String[0], FullReloadJob.OPTIONS)).method()).isNull();
        assertThatThrownBy(() -> FullReloadJob.Options.parse(JobArguments.parse(new String[] {"--partitions", "many"},
                FullReloadJob.OPTIONS))).isInstanceOf(ConfigException.class).hasMessageContaining("--partitions");
        assertThatThrownBy(() -> JobArguments.parse(new String[] {"--tables", "x"}, FullReloadJob.OPTIONS))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void maintenanceOptionsOverrideTheTableSettings() {
        var overrides = MaintenanceJob.overrides(JobArguments.parse(new String[] {"--target-file-size-mb", "64",
            "--retention-hours", "48", "--min-snapshots", "3", "--orphan-age-hours", "6"}, MaintenanceJob.OPTIONS));

        MaintenanceSettings s = overrides.apply(MaintenanceSettings.defaults());

        assertThat(s.targetFileSizeBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(s.snapshotRetention()).isEqualTo(Duration.ofHours(48));
        assertThat(s.minSnapshotsToKeep()).isEqualTo(3);
        assertThat(s.orphanFileAge()).isEqualTo(Duration.ofHours(6));
        assertThatThrownBy(() -> MaintenanceJob.overrides(JobArguments.parse(new String[] {"--retention-hours", "two"},
                MaintenanceJob.OPTIONS))).isInstanceOf(ConfigException.class).hasMessageContaining("--retention-hours");
    }

    @Test
    void dailyRevenueModesAndValues() {
        assertThat(DailyRevenueJob.Mode.parse("incremental")).isEqualTo(DailyRevenueJob.Mode.INCREMENTAL);
        assertThat(DailyRevenueJob.Mode.parse("FULL")).isEqualTo(DailyRevenueJob.Mode.FULL);
        assertThatThrownBy(() -> DailyRevenueJob.Mode.parse("weekly")).isInstanceOf(ConfigException.class);
        assertThat(DailyRevenueJob.spark(LocalDate.of(2026, 3, 1))).isEqualTo(java.sql.Date.valueOf("2026-03-01"));
        assertThat(DailyRevenueJob.spark(OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC)))
                .isEqualTo(java.sql.Timestamp.from(java.time.Instant.parse("2026-03-01T10:00:00Z")));
        assertThat(DailyRevenueJob.spark(new StringBuilder("x"))).isEqualTo("x");
        assertThat((byte[]) DailyRevenueJob.spark(ByteBuffer.wrap(new byte[] {1, 2}))).containsExactly(1, 2);
        assertThat(DailyRevenueJob.spark(new BigDecimal("1.50"))).isEqualTo(new BigDecimal("1.50"));
        assertThat(DailyRevenueJob.revenueQuery("o", "l")).contains("FROM o o JOIN l l ON l.order_id = o.order_id");
    }

    @Test
    void dailyRevenueFiltersItsScansOnTheRangesTheTouchedOrdersFallIn() {
        assertThat(DailyRevenueJob.ranges(new long[] {1, 2, 3, 100, 101, 5000}, 3))
                .containsExactly(new long[] {1, 3}, new long[] {100, 101}, new long[] {5000, 5000});
        assertThat(DailyRevenueJob.ranges(new long[] {1, 2, 3, 100, 101, 5000}, 2))
                .containsExactly(new long[] {1, 101}, new long[] {5000, 5000});
        assertThat(DailyRevenueJob.ranges(new long[] {7, 8, 9}, 32)).containsExactly(new long[] {7, 9});
        assertThat(DailyRevenueJob.ranges(new long[] {42}, 32)).containsExactly(new long[] {42, 42});
        assertThat(DailyRevenueJob.orderIdFilter(java.util.Set.of(1L, 2L, 900L)).toString())
                .contains(">=(order_id, 1L)", "<=(order_id, 2L)", ">=(order_id, 900L)", "in(order_id");
        assertThat(DailyRevenueJob.orderIdFilter(java.util.Set.of("a", "b")).toString()).doesNotContain(">=").contains("in(order_id");
    }
}
