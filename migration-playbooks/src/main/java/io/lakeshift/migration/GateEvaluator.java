package io.lakeshift.migration;

import io.lakeshift.core.status.ComponentStatus;
import io.lakeshift.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Evaluates the gates of a stage against the evidence: reconciliation reports, the job's status, time in stage. */
final class GateEvaluator {

    /** A status file older than this means the job that wrote it is gone. */
    static final Duration STALE_STATUS = Duration.ofMinutes(2);

    private GateEvaluator() {
    }

    static List<GateResult> evaluate(Gates gates, MigrationState state, List<ReconciliationReport> reports,
            Optional<ComponentStatus> jobStatus, Instant now) {
        List<GateResult> results = new ArrayList<>();
        Duration inStage = Duration.between(state.since(), now);
        results.add(new GateResult("at least " + Durations.format(gates.minTimeInStage()) + " in " + state.stage(),
                inStage.compareTo(gates.minTimeInStage()) >= 0,
                "in " + state.stage() + " for " + Durations.format(inStage) + " (since " + state.since() + ")"));
        List<ReconciliationReport> sinceEntry = reports.stream().filter(r -> !r.at().isBefore(state.since())).toList();
        if (gates.consecutiveCleanReconciliations() > 0) {
            Set<Long> cleanRuns = new LinkedHashSet<>();
            ReconciliationReport firstBad = null;
            for (int i = sinceEntry.size() - 1; i >= 0; i--) {
                ReconciliationReport r = sinceEntry.get(i);
                if (!r.clean()) {
                    firstBad = r;
                    break;
                }
                cleanRuns.add(r.batchSnapshotId());
            }
            String evidence = cleanRuns.size() + " clean in a row since entering " + state.stage()
                    + (cleanRuns.isEmpty() ? "" : " (batch snapshots " + cleanRuns + ")")
                    + (firstBad == null ? "" : "; broken by " + firstBad.at() + ": " + firstBad.summary()
                            + (firstBad.samples().isEmpty() ? "" : "; " + String.join("; ", firstBad.samples())));
            results.add(new GateResult(gates.consecutiveCleanReconciliations() + " consecutive clean reconciliations",
                    cleanRuns.size() >= gates.consecutiveCleanReconciliations(), evidence));
        }
        if (gates.maxMismatchRatio() != null) {
            String gate = "mismatch ratio <= " + gates.maxMismatchRatio();
            if (sinceEntry.isEmpty()) {
                results.add(new GateResult(gate, false, "no reconciliation since entering " + state.stage()));
            } else {
                ReconciliationReport latest = sinceEntry.get(sinceEntry.size() - 1);
                results.add(new GateResult(gate, latest.mismatchRatio() <= gates.maxMismatchRatio(),
                        "latest " + latest.summary()
                                + (latest.samples().isEmpty() ? "" : "; " + String.join("; ", latest.samples()))));
            }
        }
        if (gates.maxFreshnessLag() != null) {
            String gate = "freshness lag <= " + Durations.format(gates.maxFreshnessLag());
            results.add(freshness(gate, gates.maxFreshnessLag(), jobStatus, now));
        }
        return results;
    }

    private static GateResult freshness(String gate, Duration max, Optional<ComponentStatus> status, Instant now) {
        if (status.isEmpty()) {
            return new GateResult(gate, false, "the streaming job has reported no status");
        }
        ComponentStatus s = status.get();
        Duration age = Duration.ofMillis(Math.max(0, now.toEpochMilli() - s.updatedAtMs()));
        // A scheduled (available-now) job reports STOPPED after each run: its figures stay valid until
        // the next run. Only a job that claims to run must keep its status fresh.
        if (!"STOPPED".equals(s.state()) && age.compareTo(STALE_STATUS) > 0) {
            return new GateResult(gate, false, "the streaming job's status is " + Durations.format(age) + " old (state "
                    + s.state() + "): it is not running");
        }
        if ("FAILED".equals(s.state())) {
            return new GateResult(gate, false, "the streaming job failed: " + s.details().getOrDefault("lastError", "?"));
        }
        long p99 = Long.parseLong(s.details().getOrDefault("freshnessP99Ms", "-1"));
        if (p99 < 0) {
            return new GateResult(gate, true, "no change applied yet, so nothing is late (job " + s.state() + ")");
        }
        return new GateResult(gate, Duration.ofMillis(p99).compareTo(max) <= 0, "freshness p99 " + p99 + " ms, p50 "
                + s.details().getOrDefault("freshnessP50Ms", "?") + " ms (job " + s.state() + ")");
    }
}
