package io.lakeshift.cli.ingest;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedKafkaAddress;
import io.lakeshift.runtime.stack.ParentWatch;
import io.lakeshift.runtime.stack.EmbeddedKafkaBroker;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.ingestion.IngestionService;
import io.lakeshift.ingestion.SourceState;
import io.lakeshift.ingestion.SourceStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lakeshift ingest}: the ingestion service. Captures every CDC source of the configuration
 * (PostgreSQL, MySQL, MariaDB) into Kafka until SIGTERM or Ctrl-C, then stops gracefully: the batch
 * in flight is acknowledged by Kafka, offsets are committed, the engines close, exit code 0. Exits
 * 1 when the service gives up on a source (see {@link IngestionService#gaveUp()}).
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {
            "Runs the ingestion service: every CDC source of the configuration (kind",
            "postgres, mysql or mariadb) is captured by Debezium into Kafka: an initial",
            "snapshot, then streaming, resuming from the offsets under <data-dir>/offsets",
            "after a stop or a crash. Each source reports its state, events and lag",
            "under <data-dir>/status/sources (see 'lakeshift sources status').",
            "A failing source is restarted with backoff (state retrying); when one has",
            "not recovered within ingestion.giveUpAfterMs (or its offsets file is",
            "unreadable), the service stops and exits 1.",
            "Stops on SIGTERM or Ctrl-C: acknowledges the batch in flight, commits",
            "offsets, closes the engines and exits 0."})
public final class IngestCommand implements Callable<Integer> {

    private static final long REPORT_EVERY_MS = 30_000;

    @Mixin
    CommonOptions common;

    @Option(names = "--source", paramLabel = "NAME", description = "Capture only this source (repeatable; default: every CDC source).")
    List<String> only = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        PrintStream out = System.out;
        List<SourceConfig> sources = select(config);
        KafkaConfig kafka = config.kafka();
        EmbeddedKafkaBroker broker = null;
        if (kafka.embedded() && ParentWatch.supervised()) {
            kafka = EmbeddedKafkaAddress.awaitSupervised(config, "ingest").kafka();
        } else if (kafka.embedded() && EmbeddedKafkaAddress.running(config.dataDir()).isPresent()) {
            kafka = kafka.withBootstrapServers(EmbeddedKafkaAddress.running(config.dataDir()).get());
        } else if (kafka.embedded()) {
            broker = EmbeddedKafkaBroker.start(EmbeddedKafkaAddress.brokerDir(config.dataDir()));
            kafka = kafka.withBootstrapServers(broker.bootstrapServers());
            out.println("ingest: embedded Kafka broker (KRaft) at " + broker.bootstrapServers() + ", data in "
                    + config.dataDir().resolve("kafka"));
        }
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTermOrInt(stop::countDown);
        IngestionService service = new IngestionService(sources, kafka, config.dataDir(), IngestionService.keysOf(config),
                config.ingestion()).reportingTo(config.metrics());
        Thread hook = new Thread(service::close, "lakeshift-ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean gaveUp;
        try {
            service.start();
            for (SourceConfig s : sources) {
                out.printf("ingest: capturing source '%s' (%s at %s:%d, database %s, %d tables) into topics %s.%s.*%n", s.name(), s.kind(),
                        s.host(), s.port(), s.database(), s.tables().size(), s.topicPrefixOr(kafka.topicPrefix()), s.name());
            }
            out.println("ingest: status in " + config.dataDir().resolve("status/sources") + "; stop with Ctrl-C or SIGTERM");
            out.flush();
            gaveUp = watch(service, stop, out);
        } finally {
            out.println("ingest: stopping: acknowledging the batches in flight, committing offsets");
            out.flush();
            service.close();
            if (broker != null) {
                broker.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs close(), which is idempotent
            }
        }
        for (SourceStatus s : service.status()) {
            out.printf("ingest: source '%s' %s, %,d events, %,d dead letters%s%n", s.name(), s.state().name().toLowerCase(),
                    s.eventsCaptured(), s.deadLetters(), s.error() == null ? "" : ": " + s.error());
        }
        out.println("ingest: stopped, offsets committed");
        out.flush();
        return gaveUp ? 1 : 0;
    }

    /** Prints state changes and a summary every 30 s until asked to stop or a source is given up. */
    private static boolean watch(IngestionService service, CountDownLatch stop, PrintStream out) throws InterruptedException {
        Map<String, SourceState> states = new HashMap<>();
        long lastReport = System.currentTimeMillis();
        while (!stop.await(1, TimeUnit.SECONDS)) {
            List<SourceStatus> all = service.status();
            for (SourceStatus s : all) {
                if (states.put(s.name(), s.state()) != s.state()) {
                    out.printf("ingest: source '%s' is %s%s%n", s.name(), s.state().name().toLowerCase(),
                            s.error() == null ? "" : ": " + s.error());
                    out.flush();
                }
            }
            List<SourceStatus> gaveUp = service.gaveUp();
            if (!gaveUp.isEmpty()) {
                out.println("ingest: gave up on source(s) " + gaveUp.stream().map(SourceStatus::name).toList()
                        + " (see ingestion.giveUpAfterMs); exiting with an error");
                return true;
            }
            if (System.currentTimeMillis() - lastReport >= REPORT_EVERY_MS) {
                lastReport = System.currentTimeMillis();
                for (SourceStatus s : all) {
                    out.printf("ingest: %s: %s, %,d events, last %s%n", s.name(), s.state().name().toLowerCase(),
                            s.eventsCaptured(), s.lastPosition() == null ? "-" : s.lastPosition());
                }
                out.flush();
            }
        }
        return false;
    }

    private List<SourceConfig> select(LakeshiftConfig config) {
        List<SourceConfig> sources = new ArrayList<>();
        for (String name : only) {
            SourceConfig s = config.source(name).orElseThrow(() -> new IllegalArgumentException("no source '" + name
                    + "' in the configuration; sources: " + config.sources().stream().map(SourceConfig::name).toList()));
            if (!s.cdc()) {
                throw new IllegalArgumentException("source '" + name + "' is of kind " + s.kind() + ", not a CDC source"
                        + " (postgres, mysql, mariadb)");
            }
            sources.add(s);
        }
        if (only.isEmpty()) {
            config.sources().stream().filter(SourceConfig::cdc).forEach(sources::add);
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no CDC source (kind postgres, mysql or mariadb) in the configuration");
        }
        for (SourceConfig s : sources) {
            if (s.embedded()) {
                throw new IllegalArgumentException("source '" + s.name() + "' has host 'embedded': the embedded PostgreSQL only"
                        + " exists inside 'lakeshift demo'. Point the source at a database, e.g. --set sources[0].host=db.internal"
                        + " --set sources[0].port=5432, or run 'lakeshift demo'");
            }
        }
        return sources;
    }
}
