package io.lakeshift.tests.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's own pipeline, not the demo's, through the real {@code lakeshift migrate}: without a
 * playbook and without a DAG in its configuration, {@code plan} says how to get one; {@code migrate
 * init} writes an editable playbook; {@code plan} then reads it; a pipeline whose configuration names
 * its DAG takes the default playbook without any file.
 */
class MigrateInitIT {

    @TempDir
    Path work;

    @Test
    void aPipelineWithoutAPlaybookGetsOneFromMigrateInit() throws Exception {
        Path config = work.resolve("lakeshift.yaml");
        Files.writeString(config, String.join("\n",
                "sources:",
                "  - {name: erp, kind: postgres, host: 127.0.0.1, port: 1, database: erp, username: lakeshift,"
                        + " password: env:ERP_PASSWORD, tables: [erp.invoices, erp.notes]}",
                "pipelines:",
                "  - {name: erp.invoices, source: erp, table: erp.invoices, target: erp.invoices, stage: BATCH, schedule: '0 2 * * *'}",
                "  - {name: erp.notes, source: erp, table: erp.notes, target: erp.notes, stage: BATCH, dag: erp_notes_weekly}",
                ""), StandardCharsets.UTF_8);
        Path playbooks = work.resolve("playbooks");
        Map<String, String> env = Map.of("ERP_PASSWORD", "unused-here");

        LakeshiftCommand.Result none = run(env, "migrate", "plan", "erp.invoices", "--config", config.toString());
        assertThat(none.exitCode()).as(none.output()).isEqualTo(2);
        assertThat(none.output()).contains("'erp.invoices' has no playbook", "lakeshift migrate init erp.invoices --dag <DAG>");

        LakeshiftCommand.Result init = run(env, "migrate", "init", "erp.invoices", "--dag", "erp_invoices_nightly",
                "--playbooks", playbooks.toString(), "--config", config.toString());
        assertThat(init.exitCode()).as(init.output()).isZero();
        Path file = playbooks.resolve("erp.invoices.yaml");
        assertThat(Files.readString(file)).contains("dag: \"erp_invoices_nightly\"", "schedule: \"0 2 * * *\"",
                "consecutiveCleanReconciliations: 3");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        LakeshiftCommand.Result again = run(env, "migrate", "init", "erp.invoices", "--dag", "other",
                "--playbooks", playbooks.toString(), "--config", config.toString());
        assertThat(again.exitCode()).as("an edited playbook is never overwritten without --force").isEqualTo(2);
        assertThat(again.output()).contains("exists", "--force");

        LakeshiftCommand.Result plan = run(env, "migrate", "plan", "erp.invoices", "--playbooks", playbooks.toString(),
                "--config", config.toString());
        assertThat(plan.exitCode()).as(plan.output()).isZero();
        assertThat(plan.output()).contains("erp.invoices: BATCH -> SHADOW", "create erp.invoices__shadow");

        LakeshiftCommand.Result byDefault = run(env, "migrate", "plan", "erp.notes", "--config", config.toString());
        assertThat(byDefault.exitCode()).as(byDefault.output()).isZero();
        assertThat(byDefault.output()).contains("erp.notes: BATCH -> SHADOW", "create erp.notes__shadow");
    }

    private LakeshiftCommand.Result run(Map<String, String> env, String... args) throws Exception {
        String[] withData = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--data-dir", work.resolve("data").toString())).toArray(String[]::new);
        return LakeshiftCommand.run(work.resolve("cmd.out"), env, Duration.ofMinutes(4), withData);
    }
}
