package io.lakeshift.migration;

/**
 * One gate as evaluated.
 *
 * @param gate what is required, e.g. "3 consecutive clean reconciliations"
 * @param passed whether it holds
 * @param evidence what was found
 */
public record GateResult(String gate, boolean passed, String evidence) {

    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + gate + ": " + evidence;
    }
}
