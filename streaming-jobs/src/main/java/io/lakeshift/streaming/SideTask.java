package io.lakeshift.streaming;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One step of a micro-batch run on its own thread while the batch's other steps go on, such as
 * the changelog append beside the current-state MERGE. The thread is started from the stream's
 * thread, so it inherits Spark's local properties (the query's job group: stopping the query
 * cancels its jobs too) and the active session.
 */
final class SideTask {

    private final FutureTask<Long> task;

    private SideTask(Runnable work) {
        this.task = new FutureTask<>(() -> {
            long started = System.currentTimeMillis();
            work.run();
            return System.currentTimeMillis() - started;
        });
    }

    static SideTask start(String name, Runnable work) {
        SideTask side = new SideTask(work);
        Thread thread = new Thread(side.task, name);
        thread.setDaemon(true);
        thread.start();
        return side;
    }

    /**
     * Waits for the step to finish, even when the caller is interrupted meanwhile (an Iceberg
     * commit in progress is let finish, so the batch's outcome is known before anyone goes on).
     *
     * @return how long the step ran, in milliseconds
     * @throws RuntimeException what the step threw
     */
    long await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause.getMessage(), cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs {@code here} on the calling thread, then waits for every side task, also when
     * {@code here} failed: nothing is left running. The first failure is thrown, the others are
     * added to it as suppressed.
     */
    static void joinAll(Runnable here, List<SideTask> sides) {
        RuntimeException failure = null;
        try {
            here.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (SideTask side : sides) {
            try {
                side.await();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
