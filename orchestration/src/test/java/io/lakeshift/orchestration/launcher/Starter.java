package io.lakeshift.orchestration.launcher;

import java.nio.file.Path;
import java.util.List;

/** Starts a {@link Sleeper} job with a local launcher, then exits: the job must outlive it. */
public final class Starter {

    private Starter() {
    }

    public static void main(String[] args) {
        JobLauncher launcher = JobLaunchers.local(Path.of(args[0]));
        JobStatus status = launcher.start(JobSpec.of(args[1], Sleeper.class.getName(), List.of(args[2])).withArgs(List.of("60")));
        System.out.println("started " + status.pid().getAsLong());
    }
}
