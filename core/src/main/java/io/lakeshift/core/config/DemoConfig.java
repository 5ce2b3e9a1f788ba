package io.lakeshift.core.config;

/**
 * The demo's workload against the embedded retail database.
 *
 * @param durationSeconds how long the workload keeps changing the source
 * @param changesPerSecond target rate of source transactions
 * @param customers customers seeded before capture starts
 * @param orders orders seeded before capture starts
 * @param seed random seed, so a run can be repeated
 */
public record DemoConfig(int durationSeconds, int changesPerSecond, int customers, int orders, long seed) {
}
