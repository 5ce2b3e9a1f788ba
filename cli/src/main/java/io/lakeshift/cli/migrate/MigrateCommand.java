package io.lakeshift.cli.migrate;

import io.lakeshift.cli.CommonOptions;
import io.lakeshift.cli.TextTable;
import io.lakeshift.migration.AuditEntry;
import io.lakeshift.migration.GateResult;
import io.lakeshift.migration.MigrationEngine;
import io.lakeshift.migration.MigrationState;
import io.lakeshift.migration.MigrationTexts;
import io.lakeshift.migration.Plan;
import io.lakeshift.migration.ReconciliationReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lakeshift migrate}: move pipelines from batch to streaming, stage by stage, on evidence. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Moves a pipeline BATCH -> SHADOW -> INCREMENTAL -> STREAMING one stage at a time, when the gates",
            "of its playbook pass, and back one stage with rollback. Every transition goes to the audit log",
            "(<data-dir>/migrations/audit.jsonl)."},
        subcommands = {MigrateCommand.PlanCommand.class, MigrateCommand.ApplyCommand.class, MigrateCommand.StatusCommand.class,
            MigrateCommand.RollbackCommand.class, MigrateCommand.HistoryCommand.class})
public final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** Options of every migrate subcommand. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--playbooks", paramLabel = "DIR",
                description = "Folder of playbooks (one YAML per pipeline). Default: the bundled demo playbooks.")
        Path playbooks;

        MigrationContext context() {
            return new MigrationContext(common, spec, playbooks);
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Shows the steps the next transition would take and which gates pass or fail, with their evidence.")
    static final class PlanCommand extends Base {
        @Parameters(paramLabel = "PIPELINE")
        String pipeline;

        @Override
        public Integer call() {
            try (MigrationContext ctx = context()) {
                Plan plan = ctx.engine().plan(pipeline);
                printPlan(plan);
                return plan.to() == null || plan.gatesPass() ? 0 : 3;
            }
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Advances the pipeline one stage if every gate passes (finishing first an interrupted transition).",
                "Exit code 3 when gates block it."})
    static final class ApplyCommand extends Base {
        @Parameters(paramLabel = "PIPELINE")
        String pipeline;

        @Option(names = "--force", description = "Advance although gates fail; needs --reason; recorded in the audit log.")
        boolean force;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the audit log.")
        String reason;

        @Override
        public Integer call() throws Exception {
            try (MigrationContext ctx = context()) {
                MigrationState before = ctx.engine().state(pipeline);
                Plan plan = ctx.engine().plan(pipeline);
                try {
                    MigrationState after = ctx.engine().apply(pipeline, force, reason);
                    if (plan.pending() == null) {
                        printPlan(plan);
                    }
                    System.out.println(pipeline + ": " + before.stage() + " -> " + after.stage() + " done"
                            + (force ? " (forced: " + reason + ")" : ""));
                    return 0;
                } catch (io.lakeshift.migration.GatesBlockedException e) {
                    System.out.println(e.getMessage());
                    return 3;
                }
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Moves the pipeline back one stage: DAG unpaused, streaming stopped or moved back to the shadow,",
                "the table restored to its last batch-written snapshot when leaving INCREMENTAL."})
    static final class RollbackCommand extends Base {
        @Parameters(paramLabel = "PIPELINE")
        String pipeline;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the audit log.")
        String reason;

        @Override
        public Integer call() throws Exception {
            try (MigrationContext ctx = context()) {
                MigrationState before = ctx.engine().state(pipeline);
                MigrationState after = ctx.engine().rollback(pipeline, reason);
                System.out.println(pipeline + ": " + before.stage() + " -> " + after.stage() + " done (rollback)");
                return 0;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Every pipeline with a playbook: stage, since when, gates, last reconciliation, job, freshness.")
    static final class StatusCommand extends Base {
        @Override
        public Integer call() {
            try (MigrationContext ctx = context()) {
                TextTable table = new TextTable("pipeline", "stage", "since", "next", "gates", "last reconciliation",
                        "job", "freshness p99");
                for (MigrationEngine.PipelineStatus s : ctx.engine().status()) {
                    Plan next = s.next();
                    long passed = next.gates().stream().filter(GateResult::passed).count();
                    ReconciliationReport r = s.lastReconciliation();
                    table.row(s.state().pipeline(),
                            s.state().stage() + (s.state().pending() != null ? " (interrupted " + s.state().pending().action()
                                    + " to " + s.state().pending().to() + ")" : ""),
                            ago(s.state().since()),
                            next.to() == null ? "-" : next.to().name(),
                            next.to() == null ? "-" : passed + "/" + next.gates().size() + " pass",
                            r == null ? "-" : (r.clean() ? "clean" : "MISMATCH " + (r.missing() + r.extra() + r.differing()))
                                    + " " + ago(r.at()),
                            s.job().mode().name().toLowerCase() + (s.job().table() == null ? "" : " -> " + s.job().table()),
                            s.jobStatus() == null ? "-" : s.jobStatus().details().getOrDefault("freshnessP99Ms", "?") + " ms");
                }
                printTable(table);
                return 0;
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The audit log of a pipeline, oldest first.")
    static final class HistoryCommand extends Base {
        @Parameters(paramLabel = "PIPELINE")
        String pipeline;

        @Option(names = "--evidence", description = "Also print the gate evidence of each entry.")
        boolean evidence;

        @Override
        public Integer call() {
            try (MigrationContext ctx = context()) {
                TextTable table = new TextTable("when", "action", "from", "to", "outcome", "forced", "reason", "detail");
                List<AuditEntry> entries = ctx.engine().history(pipeline);
                for (AuditEntry e : entries) {
                    table.row(e.at().toString(), e.action(), String.valueOf(e.from()), String.valueOf(e.to()), e.outcome(),
                            e.forced() ? "yes" : "no", e.reason() == null ? "" : e.reason(),
                            e.error() != null ? e.error() : e.steps().isEmpty() ? "" : String.join(",", e.steps()));
                }
                printTable(table);
                if (evidence) {
                    for (AuditEntry e : entries) {
                        if (!e.evidence().isEmpty()) {
                            System.out.println(e.at() + " " + e.action() + " " + e.from() + " -> " + e.to() + ":");
                            e.evidence().forEach(line -> System.out.println("  " + line));
                        }
                    }
                }
                return 0;
            }
        }
    }

    static void printPlan(Plan plan) {
        if (plan.pending() != null) {
            System.out.println(plan.pipeline() + ": interrupted " + plan.pending().action() + " " + plan.pending().from() + " -> "
                    + plan.pending().to() + " (done: " + String.join(", ", plan.pending().doneSteps())
                    + "); apply finishes it, rollback undoes it");
        }
        if (plan.to() == null) {
            System.out.println(plan.pipeline() + " is in " + plan.from() + ", the last stage");
            return;
        }
        System.out.println(plan.pipeline() + ": " + plan.from() + " -> " + plan.to());
        System.out.println("steps:");
        for (int i = 0; i < plan.steps().size(); i++) {
            System.out.println("  " + (i + 1) + ". " + plan.steps().get(i));
        }
        System.out.println("gates:");
        for (GateResult g : plan.gates()) {
            System.out.println("  " + g);
        }
    }

    static String ago(Instant at) {
        return MigrationTexts.format(Duration.between(at, Instant.now())) + " ago";
    }

    static void printTable(TextTable table) {
        java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
        table.print(out);
        out.flush();
    }
}
