package io.lakeshift.cli.migrate;

import io.lakeshift.runtime.stack.LakeTableProvisioner;
import java.util.List;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.migration.MigrationState;
import io.lakeshift.migration.Plan;
import java.nio.file.Path;
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
            MigrateCommand.RollbackCommand.class, MigrateCommand.HistoryCommand.class, MigrateInitCommand.class})
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
                description = {"Folder of playbooks (one YAML per pipeline; 'migrate init' writes one). Default: the bundled demo",
                    "playbooks. A pipeline without a playbook whose configuration names its 'dag' takes the default playbook."})
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
                MigrationOutput.plan(stdout(), plan);
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
                ctx.config().pipeline(pipeline).ifPresent(p -> LakeTableProvisioner.ensure(ctx.config(), List.of(p))
                        .forEach(t -> stdout().println("created lake table " + t + " from its source's schema")));
                MigrationState before = ctx.engine().state(pipeline);
                Plan plan = ctx.engine().plan(pipeline);
                try {
                    MigrationState after = ctx.engine().apply(pipeline, force, reason);
                    if (plan.pending() == null) {
                        MigrationOutput.plan(stdout(), plan);
                    }
                    MigrationOutput.moved(stdout(), pipeline, before, after, force ? "forced: " + reason : null);
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
                MigrationOutput.moved(stdout(), pipeline, before, after, "rollback");
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
                MigrationOutput.status(stdout(), ctx.engine().status());
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
                MigrationOutput.history(stdout(), ctx.engine().history(pipeline), evidence);
                return 0;
            }
        }
    }

    static java.io.PrintWriter stdout() {
        return new java.io.PrintWriter(System.out, true);
    }
}
