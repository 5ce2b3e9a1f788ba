package io.lakeshift.cli.stack;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedKafkaAddress;
import io.lakeshift.runtime.stack.EmbeddedKafkaBroker;
import io.lakeshift.cli.ingest.StopSignals;
import io.lakeshift.core.config.LakeshiftConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lakeshift broker}: the embedded Kafka broker of a data folder, until stopped. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Runs the embedded Kafka broker (KRaft, one node, loopback) on the data folder until",
            "SIGTERM or Ctrl-C. Topics and offsets are kept under <data-dir>/kafka across restarts; while it",
            "runs, its address is in <data-dir>/kafka/bootstrap.servers, where every lakeshift command",
            "configured with kafka.bootstrapServers 'embedded' finds it. 'lakeshift up' runs it for you."})
public final class BrokerCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        if (EmbeddedKafkaAddress.running(config.dataDir()).isPresent()) {
            throw new IllegalStateException("an embedded Kafka broker already runs on " + config.dataDir() + " at "
                    + EmbeddedKafkaAddress.running(config.dataDir()).get());
        }
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTermOrInt(stop::countDown);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaAddress.brokerDir(config.dataDir()))) {
            Thread hook = new Thread(broker::close, "lakeshift-broker-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("broker: Kafka (KRaft) at " + broker.bootstrapServers() + ", data in "
                    + EmbeddedKafkaAddress.brokerDir(config.dataDir()) + "; stop with Ctrl-C or SIGTERM");
            out.flush();
            stop.await();
            out.println("broker: stopping");
            out.flush();
        }
        return 0;
    }
}
