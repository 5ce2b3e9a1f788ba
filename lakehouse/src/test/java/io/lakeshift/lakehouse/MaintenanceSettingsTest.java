package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintenanceSettingsTest {

    @Test
    void defaultsDoEveryStep() {
        MaintenanceSettings s = MaintenanceSettings.defaults();

        assertThat(s.compact() && s.rewriteDeletes() && s.expireSnapshots() && s.removeOrphans() && s.rewriteManifests()).isTrue();
        assertThat(s.targetFileSizeBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(s.snapshotRetention()).isEqualTo(Duration.ofDays(1));
        assertThat(s.orphanFileAge()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void tablePropertiesOverrideTheDefaults() {
        MaintenanceSettings s = MaintenanceSettings.defaults().forTable(Map.of(
                "write.target-file-size-bytes", "1048576",
                "history.expire.max-snapshot-age-ms", "3600000",
                "history.expire.min-snapshots-to-keep", "2",
                "lakeshift.maintenance.orphan-file-age-ms", "7200000",
                "lakeshift.maintenance.min-input-files", "2",
                "lakeshift.maintenance.delete-file-threshold", "1"));

        assertThat(s.targetFileSizeBytes()).isEqualTo(1048576);
        assertThat(s.snapshotRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(s.minSnapshotsToKeep()).isEqualTo(2);
        assertThat(s.orphanFileAge()).isEqualTo(Duration.ofHours(2));
        assertThat(s.minInputFiles()).isEqualTo(2);
        assertThat(s.deleteFileThreshold()).isEqualTo(1);
    }

    @Test
    void invalidValuesAreRejectedWithTheirNames() {
        assertThatThrownBy(() -> MaintenanceSettings.defaults().withOrphanFileAge(Duration.ofMinutes(5)))
                .hasMessageContaining("orphanFileAge: must be at least 60 minutes");
        assertThatThrownBy(() -> MaintenanceSettings.defaults().withSnapshotRetention(Duration.ofHours(1), 0))
                .hasMessageContaining("minSnapshotsToKeep");
        assertThatThrownBy(() -> MaintenanceSettings.defaults().withSnapshotRetention(Duration.ZERO, 1))
                .hasMessageContaining("snapshotRetention: must be at least 10 minutes");
        assertThatThrownBy(() -> MaintenanceSettings.defaults().forTable(Map.of("write.target-file-size-bytes", "big")))
                .hasMessageContaining("write.target-file-size-bytes must be a number");
    }
}
