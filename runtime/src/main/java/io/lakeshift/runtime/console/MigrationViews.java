package io.lakeshift.runtime.console;

import io.lakeshift.migration.AuditEntry;
import io.lakeshift.migration.GateResult;
import io.lakeshift.migration.MigrationEngine;
import io.lakeshift.migration.ReconciliationReport;
import java.util.List;
import java.util.Locale;

/** The migration engine's status and audit log as the console's views. */
public final class MigrationViews {

    private MigrationViews() {
    }

    /** Every pipeline with a playbook: its stage, the gates into the next one with their evidence, its audit log. */
    public static List<MigrationView> of(MigrationEngine engine) {
        return engine.status().stream().map(s -> view(s, engine.history(s.state().pipeline()))).toList();
    }

    static MigrationView view(MigrationEngine.PipelineStatus s, List<AuditEntry> audit) {
        var state = s.state();
        String stage = state.stage().name() + (state.pending() == null ? ""
                : " (interrupted " + state.pending().action() + " to " + state.pending().to() + ")");
        ReconciliationReport r = s.lastReconciliation();
        String job = s.job().mode().name().toLowerCase(Locale.ROOT) + (s.job().table() == null ? "" : " -> " + s.job().table());
        return new MigrationView(state.pipeline(), stage, state.since().toEpochMilli(),
                s.next().to() == null ? null : s.next().to().name(),
                s.next().gates().stream().map(MigrationViews::gate).toList(),
                r == null ? null : r.summary() + " at " + r.at(),
                job,
                audit.stream().map(MigrationViews::audit).toList());
    }

    private static MigrationView.Gate gate(GateResult g) {
        return new MigrationView.Gate(g.gate(), g.passed(), g.evidence());
    }

    private static MigrationView.Audit audit(AuditEntry e) {
        String detail = e.error() != null ? e.error() : String.join(", ", e.steps());
        if (!e.evidence().isEmpty()) {
            detail = (detail.isEmpty() ? "" : detail + "; ") + String.join("; ", e.evidence());
        }
        return new MigrationView.Audit(e.at().toEpochMilli(), e.action(), String.valueOf(e.from()), String.valueOf(e.to()),
                e.outcome(), e.forced(), e.reason(), detail);
    }
}
