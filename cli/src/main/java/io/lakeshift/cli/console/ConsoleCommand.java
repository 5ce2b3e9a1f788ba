package io.lakeshift.cli.console;

import io.lakeshift.cli.ingest.StopSignals;
import io.lakeshift.cli.migrate.MigrationContext;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.CatalogRuntime;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.console.ConsoleServer;
import io.lakeshift.runtime.console.ConsoleViews;
import io.lakeshift.runtime.console.MigrationViews;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lakeshift console}: the status console of a data folder, until stopped. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Serves the status console on console.bindAddress:console.port (127.0.0.1:8470 by default):",
            "a web page with every source, pipeline, table and migration, charts of the last hour, and the",
            "same as JSON under /api/ (overview, sources, pipelines, tables, migrations, history), with /health",
            "and /ready. 'lakeshift up' runs it for you; on its own it shows what the data folder's parts last",
            "reported, running or not. Stop with Ctrl-C or SIGTERM."})
public final class ConsoleCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--playbooks", paramLabel = "DIR", description = "Playbook folder of the migrations (default: the bundled ones).")
    Path playbooks;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig loaded = common.load();
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTermOrInt(stop::countDown);
        try (CatalogRuntime catalogs = CatalogRuntime.start(loaded);
                MigrationContext migration = new MigrationContext(common, spec, playbooks)) {
            LakeshiftConfig config = catalogs.config();
            Catalog catalog = catalogs.open();
            try {
                ConsoleViews views = new ConsoleViews(config, catalog, () -> MigrationViews.of(migration.engine()), Clock.systemUTC());
                try (ConsoleServer console = ConsoleServer.start(config.console(), views, config.metrics().statusIntervalMs())) {
                    out.println("console: " + console.url() + " (JSON under " + console.url() + "api/); stop with Ctrl-C or SIGTERM");
                    out.flush();
                    stop.await();
                    out.println("console: stopping");
                    out.flush();
                }
            } finally {
                IcebergCatalogs.close(catalog);
            }
        }
        return 0;
    }
}
