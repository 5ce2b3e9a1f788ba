package io.lakeshift.cli.migrate;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.migration.ReconciliationReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lakeshift reconcile PIPELINE}: the batch job's output against the streaming output at the same source position. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Compares the pipeline's newest batch run with the streaming output at the source position that",
            "run recorded: row counts, key sets and every column. The report is stored",
            "(<data-dir>/migrations/reconciliations/PIPELINE.jsonl) and counts for the gates. Exit code 4 on a mismatch."})
public final class ReconcileCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--playbooks", paramLabel = "DIR", description = "Folder of playbooks. Default: the bundled demo playbooks.")
    Path playbooks;

    @Parameters(paramLabel = "PIPELINE")
    String pipeline;

    @Override
    public Integer call() throws Exception {
        try (MigrationContext ctx = new MigrationContext(common, spec, playbooks)) {
            ReconciliationReport r = ctx.engine().reconcile(pipeline);
            MigrationOutput.reconciliation(MigrateCommand.stdout(), pipeline, r);
            return r.clean() ? 0 : 4;
        }
    }
}
