package io.lakeshift.orchestration.launcher;

/** A stand-in job for the launcher tests: says it started, then sleeps (never longer than its argument, 60 s by default). */
public final class Sleeper {

    private Sleeper() {
    }

    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
        System.out.println("sleeper started, pid " + ProcessHandle.current().pid() + ", job " + System.getenv("LAKESHIFT_JOB"));
        System.out.flush();
        Thread.sleep(seconds * 1000);
    }
}
