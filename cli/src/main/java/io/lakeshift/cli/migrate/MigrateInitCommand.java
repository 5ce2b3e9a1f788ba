package io.lakeshift.cli.migrate;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.io.AtomicFiles;
import io.lakeshift.migration.DefaultPlaybook;
import io.lakeshift.migration.Playbook;
import io.lakeshift.migration.Playbooks;
import io.lakeshift.runtime.CommonOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lakeshift migrate init PIPELINE}: writes the default playbook of a configured pipeline to a
 * file a team edits (gates, cadence, shadow table), read back by {@code migrate ... --playbooks DIR}.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Writes an editable playbook for a configured pipeline: its legacy DAG (--dag, or the pipeline's",
            "'dag'), its cadence (the pipeline's 'schedule', else @daily) and the default gates, as",
            "<playbooks>/<pipeline>.yaml. Use it with 'lakeshift migrate plan|apply PIPELINE --playbooks <playbooks>'."})
public final class MigrateInitCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PIPELINE")
    String pipeline;

    @Option(names = "--dag", paramLabel = "DAG", description = "The Airflow DAG of the pipeline's legacy batch job (default: the pipeline's 'dag').")
    String dag;

    @Option(names = "--playbooks", paramLabel = "DIR", defaultValue = "playbooks",
            description = "Folder to write the playbook into (default: ${DEFAULT-VALUE}).")
    Path folder;

    @Option(names = "--force", description = "Replace a playbook file that exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        PipelineConfig p = config.pipeline(pipeline).orElseThrow(() -> new ConfigException("pipeline", "'" + pipeline
                + "' is not a configured pipeline; pipelines are " + String.join(", ",
                        config.pipelines().stream().map(PipelineConfig::name).toList())));
        Playbook book = DefaultPlaybook.of(p, dag);
        Path file = folder.resolve(p.name() + ".yaml");
        if (Files.exists(file) && !force) {
            throw new ConfigException("--playbooks", file + " exists; edit it, or pass --force to write the default again");
        }
        String text = DefaultPlaybook.yaml(book, p.target());
        Playbooks.parseText(file.toString(), text); // what is written is what migrate reads back
        Files.createDirectories(folder);
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote the playbook of " + p.name() + " (DAG " + book.dag() + ", " + book.schedule() + ") to " + file);
        System.out.println("edit its gates, then: lakeshift migrate plan " + p.name() + " --playbooks " + folder);
        return 0;
    }
}
