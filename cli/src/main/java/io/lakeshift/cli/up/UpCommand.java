package io.lakeshift.cli.up;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.UpRuntime;
import io.lakeshift.cli.ingest.StopSignals;
import io.lakeshift.core.config.LakeshiftConfig;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lakeshift up}: the main job, everything the configuration declares, until stopped. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Runs everything the configuration declares, until SIGTERM or Ctrl-C: the embedded",
            "catalog database (catalog.uri 'embedded') and Kafka broker (kafka.bootstrapServers 'embedded'),",
            "the ingestion service for CDC sources (postgres, mysql, mariadb), the Camel routes for file,",
            "jdbc and jms sources, and one streaming apply job per source, each as a supervised child",
            "process restarted with backoff when it exits. Missing lake tables are created from their",
            "sources' schemas first. Prints progress while snapshots run and a line per source and",
            "pipeline once they stream. Started again, everything resumes where it stopped.",
            "Other commands (sources status, pipelines status, tables health, sql, migrate) work beside",
            "it on the same data folder; logs are in <data-dir>/logs/<part>.log."})
public final class UpCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        PrintStream out = System.out;
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTermOrInt(stop::countDown);
        try (UpRuntime runtime = new UpRuntime(config, common.configFile(), common.allOverrides(), out)) {
            Thread hook = new Thread(runtime::close, "lakeshift-up-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            runtime.start();
            boolean ok = runtime.supervise(stop);
            return ok ? 0 : 1;
        }
    }
}
