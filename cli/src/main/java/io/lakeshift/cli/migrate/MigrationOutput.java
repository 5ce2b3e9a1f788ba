package io.lakeshift.cli.migrate;

import io.lakeshift.cli.TextTable;
import io.lakeshift.core.time.Durations;
import io.lakeshift.migration.AuditEntry;
import io.lakeshift.migration.GateResult;
import io.lakeshift.migration.MigrationEngine;
import io.lakeshift.migration.MigrationState;
import io.lakeshift.migration.Plan;
import io.lakeshift.migration.ReconciliationReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the migrate and reconcile commands print, in one place (the end-to-end test records it too). */
public final class MigrationOutput {

    private MigrationOutput() {
    }

    /** {@code lakeshift migrate plan}: the next transition's steps and its gates with their evidence. */
    public static void plan(PrintWriter out, Plan plan) {
        if (plan.pending() != null) {
            out.println(plan.pipeline() + ": interrupted " + plan.pending().action() + " " + plan.pending().from() + " -> "
                    + plan.pending().to() + " (done: " + String.join(", ", plan.pending().doneSteps())
                    + "); apply finishes it, rollback undoes it");
        }
        if (plan.to() == null) {
            out.println(plan.pipeline() + " is in " + plan.from() + ", the last stage");
            out.flush();
            return;
        }
        out.println(plan.pipeline() + ": " + plan.from() + " -> " + plan.to());
        out.println("steps:");
        for (int i = 0; i < plan.steps().size(); i++) {
            out.println("  " + (i + 1) + ". " + plan.steps().get(i));
        }
        out.println("gates:");
        for (GateResult g : plan.gates()) {
            out.println("  " + g);
        }
        out.flush();
    }

    /** The line {@code lakeshift migrate apply} and {@code rollback} end with. */
    public static void moved(PrintWriter out, String pipeline, MigrationState before, MigrationState after, String note) {
        out.println(pipeline + ": " + before.stage() + " -> " + after.stage() + " done" + (note == null ? "" : " (" + note + ")"));
        out.flush();
    }

    /** {@code lakeshift migrate status}: one line per pipeline with a playbook. */
    public static void status(PrintWriter out, List<MigrationEngine.PipelineStatus> statuses) {
        TextTable table = new TextTable("pipeline", "stage", "since", "next", "gates", "last reconciliation", "job",
                "freshness p99");
        for (MigrationEngine.PipelineStatus s : statuses) {
            Plan next = s.next();
            long passed = next.gates().stream().filter(GateResult::passed).count();
            ReconciliationReport r = s.lastReconciliation();
            table.row(s.state().pipeline(),
                    s.state().stage() + (s.state().pending() != null ? " (interrupted " + s.state().pending().action()
                            + " to " + s.state().pending().to() + ")" : ""),
                    ago(s.state().since()),
                    next.to() == null ? "-" : next.to().name(),
                    next.to() == null ? "-" : passed + "/" + next.gates().size() + " pass",
                    r == null ? "-" : (r.clean() ? "clean" : "MISMATCH " + (r.missing() + r.extra() + r.differing()))
                            + " " + ago(r.at()),
                    s.job().mode().name().toLowerCase() + (s.job().table() == null ? "" : " -> " + s.job().table()),
                    s.jobStatus() == null ? "-" : s.jobStatus().details().getOrDefault("freshnessP99Ms", "?") + " ms");
        }
        table.print(out);
        out.flush();
    }

    /** {@code lakeshift migrate history}: the audit log, oldest first, with the gate evidence on request. */
    public static void history(PrintWriter out, List<AuditEntry> entries, boolean evidence) {
        TextTable table = new TextTable("when", "action", "from", "to", "outcome", "forced", "reason", "detail");
        for (AuditEntry e : entries) {
            table.row(e.at().toString(), e.action(), String.valueOf(e.from()), String.valueOf(e.to()), e.outcome(),
                    e.forced() ? "yes" : "no", e.reason() == null ? "" : e.reason(),
                    e.error() != null ? e.error() : e.steps().isEmpty() ? "" : String.join(",", e.steps()));
        }
        table.print(out);
        if (evidence) {
            for (AuditEntry e : entries) {
                if (!e.evidence().isEmpty()) {
                    out.println(e.at() + " " + e.action() + " " + e.from() + " -> " + e.to() + ":");
                    e.evidence().forEach(line -> out.println("  " + line));
                }
            }
        }
        out.flush();
    }

    /** {@code lakeshift reconcile}: the counts, then a sample of each kind of difference. */
    public static void reconciliation(PrintWriter out, String pipeline, ReconciliationReport r) {
        out.println(pipeline + ": " + r.summary() + " (batch snapshot " + r.batchSnapshotId() + ", " + r.durationMs() + " ms)");
        r.samples().forEach(s -> out.println("  " + s));
        out.flush();
    }

    static String ago(Instant at) {
        return Durations.format(Duration.between(at, Instant.now())) + " ago";
    }
}
