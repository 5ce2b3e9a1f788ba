package io.lakeshift.migration;

/** A step of a transition failed; the transition stays pending, to be resumed by apply or undone by rollback. */
public final class MigrationStepException extends RuntimeException {

    MigrationStepException(String pipeline, MigrationState.Pending p, String step, Exception cause) {
        super("pipeline " + pipeline + ": " + p.action() + " " + p.from() + " -> " + p.to() + " failed at step '" + step + "': "
                + cause.getMessage() + "\nthe transition is pending: 'lakeshift migrate apply " + pipeline
                + "' resumes it, 'lakeshift migrate rollback " + pipeline + "' undoes it", cause);
    }
}
