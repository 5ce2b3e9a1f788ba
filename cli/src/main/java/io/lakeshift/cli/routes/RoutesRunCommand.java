package io.lakeshift.cli.routes;

import io.lakeshift.camel.CamelSources;
import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedKafkaAddress;
import io.lakeshift.runtime.stack.EmbeddedKafkaBroker;
import io.lakeshift.runtime.stack.ParentWatch;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lakeshift routes run}: every file, jdbc and jms source of the config, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs every non-CDC source of the config (kind file, jdbc, jms) as a Camel route into Kafka,",
            "until SIGTERM or Ctrl-C; then stops gracefully: a file in flight is finished within --shutdown-timeout",
            "or left to be read again from its start. With kafka.bootstrapServers 'embedded', the broker of the",
            "data folder is used ('lakeshift up' runs it), or one runs in-process for as long as the routes do."})
public final class RoutesRunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", defaultValue = "45",
            description = "How long a graceful stop waits for files in flight. Default: ${DEFAULT-VALUE}.")
    long shutdownTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        if (config.sources().stream().allMatch(s -> s.cdc())) {
            out.println("routes: no file, jdbc or jms source is declared; nothing to run");
            out.flush();
            return 1;
        }
        EmbeddedKafkaBroker broker = null;
        CamelSources sources = null;
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            if (config.kafka().embedded() && ParentWatch.supervised()) {
                config = EmbeddedKafkaAddress.awaitSupervised(config, "routes run");
            } else if (config.kafka().embedded() && EmbeddedKafkaAddress.running(config.dataDir()).isPresent()) {
                config = EmbeddedKafkaAddress.resolve(config, "routes run");
            } else if (config.kafka().embedded()) {
                broker = EmbeddedKafkaBroker.start(EmbeddedKafkaAddress.brokerDir(config.dataDir()));
                config = config.withKafka(config.kafka().withBootstrapServers(broker.bootstrapServers()));
                out.println("routes: embedded Kafka broker at " + broker.bootstrapServers());
            }
            KafkaConfig kafka = config.kafka();
            sources = CamelSources.create(config, Duration.ofSeconds(shutdownTimeoutSeconds));
            sources.start(kafka);
            for (SourceSpec s : sources.sources()) {
                out.printf("routes: %s (%s) -> %s, dead letters to %s%n", s.name(), s.source().kind(), s.table().topic(),
                        s.table().deadLetterTopic());
            }
            out.println("routes: running; state: lakeshift sources list; stop with Ctrl-C");
            out.flush();
            CamelSources running = sources;
            EmbeddedKafkaBroker runningBroker = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop(running, runningBroker);
                stopped.countDown();
            }, "lakeshift-routes-shutdown"));
            sources = null;
            broker = null;
            stopped.await();
            return 0;
        } finally {
            stop(sources, broker);
        }
    }

    private static void stop(CamelSources sources, EmbeddedKafkaBroker broker) {
        try {
            if (sources != null) {
                sources.close();
            }
        } finally {
            if (broker != null) {
                try {
                    broker.close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(RoutesRunCommand.class).warn("Stopping the embedded Kafka broker failed", e);
                }
            }
        }
    }
}
