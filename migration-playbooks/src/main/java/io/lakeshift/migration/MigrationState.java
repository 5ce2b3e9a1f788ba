package io.lakeshift.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline's durable migration state.
 *
 * @param pipeline the pipeline
 * @param stage its stage
 * @param since when it entered that stage
 * @param lastBatchSnapshotId the table's last batch-written snapshot before streaming took over; null before
 * @param pending a transition begun and not finished (a crash, or a step that failed); null when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrationState(String pipeline, Stage stage, Instant since, Long lastBatchSnapshotId, Pending pending) {

    /**
     * A transition in progress.
     *
     * @param id unique id; also recorded in the snapshot summaries of the commits it makes
     * @param action {@code apply}, {@code rollback} or {@code undo}
     * @param from the stage it leaves
     * @param to the stage it enters
     * @param forced whether failing gates were overridden
     * @param reason the reason given with --force or for the rollback
     * @param evidence the gate evidence it was decided on
     * @param startedAt when it began
     * @param doneSteps steps completed, in order
     */
    public record Pending(String id, String action, Stage from, Stage to, boolean forced, String reason, List<String> evidence,
            Instant startedAt, List<String> doneSteps) {

        public Pending {
            evidence = evidence == null ? List.of() : List.copyOf(evidence);
            doneSteps = doneSteps == null ? List.of() : List.copyOf(doneSteps);
        }

        Pending withDone(String step) {
            List<String> done = new ArrayList<>(doneSteps);
            done.add(step);
            return new Pending(id, action, from, to, forced, reason, evidence, startedAt, done);
        }
    }

    static MigrationState initial(String pipeline, Stage stage, Instant now) {
        return new MigrationState(pipeline, stage, now, null, null);
    }

    MigrationState withPending(Pending p) {
        return new MigrationState(pipeline, stage, since, lastBatchSnapshotId, p);
    }

    MigrationState withLastBatchSnapshot(Long id) {
        return new MigrationState(pipeline, stage, since, id, pending);
    }

    MigrationState entered(Stage newStage, Instant at) {
        return new MigrationState(pipeline, newStage, at, lastBatchSnapshotId, null);
    }
}
