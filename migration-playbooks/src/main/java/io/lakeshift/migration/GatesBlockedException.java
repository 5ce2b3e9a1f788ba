package io.lakeshift.migration;

/** A transition refused because gates fail; the plan names each gate and its evidence. */
public final class GatesBlockedException extends RuntimeException {

    private final transient Plan plan;

    GatesBlockedException(Plan plan) {
        super("pipeline " + plan.pipeline() + " stays in " + plan.from() + ": gates to enter " + plan.to() + " fail:\n  "
                + String.join("\n  ", plan.gates().stream().filter(g -> !g.passed()).map(GateResult::toString).toList())
                + "\n(lakeshift migrate apply " + plan.pipeline() + " --force --reason \"...\" overrides them, on the record)");
        this.plan = plan;
    }

    public Plan plan() {
        return plan;
    }
}
