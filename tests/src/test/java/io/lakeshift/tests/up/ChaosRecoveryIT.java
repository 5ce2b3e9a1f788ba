package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of Lakeshift's parts in the middle of a workload, checked in the lake: the real
 * {@code lakeshift bench chaos} on a small workload, once killing only the ingestion service and once
 * killing the broker, ingestion and the apply job. Every lake table must equal its source on every
 * column and every changelog must hold each source change exactly once.
 */
class ChaosRecoveryIT {

    private static final Pattern SUMMARY = Pattern.compile("bench chaos: kills=(\\d+) changes=(\\d+) lost=(\\d+) extra=(\\d+)"
            + " differing=(\\d+) changelog_dupes=(\\d+) changelog_missing=(\\d+)");
    private static final Pattern KILL = Pattern.compile("(?m)^\\s+kill\\s+\\d+ at change .*: kill -9 (\\w+) \\(pid \\d+\\)");
    // about 3 minutes a run on two idle cores; beyond the benchmark's own 20 minutes of waiting for the lake
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(25);

    @TempDir
    Path work;

    @Test
    void ingestionKilledDuringTheWorkloadLosesAndRepeatsNothing() throws Exception {
        List<String> killed = chaos("ingest", 3, 20261207L);

        assertThat(killed).as("every kill hit the ingestion service").containsOnly("ingest").hasSize(3);
    }

    @Test
    void brokerIngestionAndApplyKilledDuringTheWorkloadLoseAndRepeatNothing() throws Exception {
        List<String> killed = chaos("broker,ingest,apply", 4, 7L);

        assertThat(killed).as("the part of each kill").hasSize(4).isSubsetOf("broker", "ingest", "apply");
    }

    @Test
    void anUnknownVictimIsRefusedNamingTheOption() throws Exception {
        LakeshiftCommand.Result r = LakeshiftCommand.run(work.resolve("bad.out"), Map.of(), Duration.ofMinutes(4),
                "bench", "chaos", "--victims", "ingest,postgres", "--data-dir", work.resolve("bad").toString());

        assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("--victims: unknown part 'postgres'; choose among broker, ingest, apply");
    }

    /**
     * Runs {@code bench chaos} at a small size (3,000 changes at 100/s, 300 rows per table) with a fixed
     * seed, and checks its last line and figures file.
     *
     * @return the part of each kill of the schedule in the figures file, in order
     */
    private List<String> chaos(String victims, int kills, long seed) throws Exception {
        Path dataDir = work.resolve("data");
        LakeshiftCommand.Result r = LakeshiftCommand.run(work.resolve("chaos.out"), Map.of(), RUN_TIMEOUT,
                "bench", "chaos", "--victims", victims, "--kills", Integer.toString(kills), "--seed", Long.toString(seed),
                "--changes", "3000", "--rate", "100", "--rows", "300", "--data-dir", dataDir.toString());

        assertThat(r.exitCode()).as("exit code of bench chaos; output:%n%s", r.output()).isZero();
        List<String> lines = r.output().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        Matcher m = SUMMARY.matcher(last);
        assertThat(m.matches()).as("last line '%s' is the summary; output:%n%s", last, r.output()).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("kills").isEqualTo(kills);
        assertThat(Long.parseLong(m.group(2))).as("changes").isEqualTo(3000);
        assertThat(List.of(m.group(3), m.group(4), m.group(5), m.group(6), m.group(7)))
                .as("lost, extra, differing, changelog_dupes, changelog_missing in '%s'", last)
                .containsOnly("0");

        String figures = Files.readString(dataDir.resolve("bench/chaos.txt"), StandardCharsets.UTF_8);
        assertThat(figures).as("the figures file names the seed and ends with the summary")
                .contains("replay with --seed " + seed, last);
        return KILL.matcher(figures).results().map(k -> k.group(1)).toList();
    }
}
