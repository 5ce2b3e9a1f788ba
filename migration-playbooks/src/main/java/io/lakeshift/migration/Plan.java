package io.lakeshift.migration;

import java.util.List;

/**
 * What the next transition of a pipeline would do, and whether its gates hold.
 *
 * @param pipeline the pipeline
 * @param from the current stage
 * @param to the next stage; null at STREAMING
 * @param steps the transition's steps, in order, as "name: what it does"
 * @param gates every gate of {@code to} with its evidence
 * @param pending a transition that was interrupted and that the next command finishes first, or null
 */
public record Plan(String pipeline, Stage from, Stage to, List<String> steps, List<GateResult> gates,
        MigrationState.Pending pending) {

    public boolean gatesPass() {
        return gates.stream().allMatch(GateResult::passed);
    }
}
