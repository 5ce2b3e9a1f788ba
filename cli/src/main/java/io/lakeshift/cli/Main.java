package io.lakeshift.cli;

import io.lakeshift.cli.airflow.AirflowCommand;
import io.lakeshift.cli.batch.BatchCommand;
import io.lakeshift.cli.console.ConsoleCommand;
import io.lakeshift.benchmarks.BenchCommand;
import io.lakeshift.cli.demo.DemoCommand;
import io.lakeshift.cli.ingest.IngestCommand;
import io.lakeshift.cli.ingest.SourcesCommand;
import io.lakeshift.cli.routes.RoutesCommand;
import io.lakeshift.cli.migrate.MigrateCommand;
import io.lakeshift.cli.migrate.ReconcileCommand;
import io.lakeshift.cli.pipelines.PipelinesCommand;
import io.lakeshift.cli.sql.SqlCommand;
import io.lakeshift.cli.tables.MaintainCommand;
import io.lakeshift.cli.tables.TablesCommand;
import io.lakeshift.cli.catalog.CatalogCommand;
import io.lakeshift.cli.stack.BrokerCommand;
import io.lakeshift.runtime.stack.ParentWatch;
import io.lakeshift.cli.up.UpCommand;
import io.lakeshift.core.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lakeshift} command. */
@Command(name = "lakeshift",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Moves pipelines from batch ETL to streaming into an Iceberg lakehouse.",
        subcommands = {
            UpCommand.class,
            ConsoleCommand.class,
            DemoCommand.class,
            SqlCommand.class,
            IngestCommand.class,
            SourcesCommand.class,
            RoutesCommand.class,
            PipelinesCommand.class,
            TablesCommand.class,
            MaintainCommand.class,
            BatchCommand.class,
            MigrateCommand.class,
            ReconcileCommand.class,
            AirflowCommand.class,
            CatalogCommand.class,
            BrokerCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // read by the log configuration when the first logger is created, so set before anything logs
        if (java.util.Arrays.asList(args).contains("--verbose") || java.util.Arrays.asList(args).contains("-v")) {
            System.setProperty("lakeshift.log.level", "debug");
        }
        ParentWatch.startIfSupervised();
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; for tests and the launcher. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Expected failures print one clear line; a stack trace only with --verbose. */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean verbose = parsed.hasMatchedOption("--verbose") || parsed.hasMatchedOption("-v")
                || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose") || p.hasMatchedOption("-v"));
        if (e instanceof ConfigException) {
            err.println(e.getMessage());
        } else {
            err.println(cli.getCommandName() + ": " + CliErrors.describe(e));
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof ConfigException ? 2 : 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lakeshift " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
