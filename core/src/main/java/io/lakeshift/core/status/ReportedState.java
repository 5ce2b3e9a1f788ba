package io.lakeshift.core.status;

import java.util.Locale;

/**
 * What a reported state means now: a status file outlives the process that wrote it, so a state is
 * only believed while its process lives and keeps reporting. Shared by the status commands and the
 * console, so both show the same state.
 */
public final class ReportedState {

    /** A source's report older than this, or from a process that is gone, is not live. */
    public static final long SOURCE_STALE_MS = 30_000;
    /** A RUNNING pipeline report older than this is from a job that is gone. */
    public static final long PIPELINE_STALE_MS = 60_000;

    private ReportedState() {
    }

    /** The source's state in lower case, or "not running (was ..., pid ...)" when its process is gone or silent. */
    public static String source(ComponentStatus s, long now) {
        boolean alive = ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
        String state = s.state().toLowerCase(Locale.ROOT);
        if (state.equals("stopped") || state.equals("failed")) {
            return state;
        }
        if (!alive || now - s.updatedAtMs() > SOURCE_STALE_MS) {
            return "not running (was " + state + ", pid " + s.pid() + ")";
        }
        return state;
    }

    /** The pipeline's state, or "GONE (no report for N s)" when a RUNNING job stopped reporting. */
    public static String pipeline(ComponentStatus s, long now) {
        return "RUNNING".equals(s.state()) && now - s.updatedAtMs() > PIPELINE_STALE_MS
                ? "GONE (no report for " + (now - s.updatedAtMs()) / 1000 + " s)" : s.state();
    }
}
