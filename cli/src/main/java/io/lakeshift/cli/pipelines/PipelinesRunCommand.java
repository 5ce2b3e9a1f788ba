package io.lakeshift.cli.pipelines;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedKafkaAddress;
import io.lakeshift.runtime.stack.LakeTableProvisioner;
import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.streaming.RunningApply;
import io.lakeshift.streaming.StreamingApplyJob;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lakeshift pipelines run}: the streaming apply job of one source, in this process. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the streaming apply job of a source's pipelines: Kafka to Iceberg, until stopped",
            "(continuous) or until what is in Kafka now is applied (available-now, for scheduled runs).",
            "Missing lake tables are created from the source's schema first. With kafka.bootstrapServers",
            "'embedded', uses the broker of the data folder that 'lakeshift up' (or 'lakeshift broker') runs.",
            "A pipeline that must stop (an incompatible schema change, a failing transform) stops alone; one",
            "that fails on an error a restart heals (Kafka or the catalog unreachable) ends the job with exit",
            "code 75, for its supervisor to start it again."})
public final class PipelinesRunCommand implements Callable<Integer> {

    /** The exit code of a job that stopped to be started again (EX_TEMPFAIL). */
    static final int EXIT_RESTART = 75;

    @Mixin
    CommonOptions common;

    @Option(names = "--source", paramLabel = "NAME", description = "The source whose pipelines to run (default: the first).")
    String source;

    @Option(names = "--trigger", paramLabel = "MODE", defaultValue = "continuous",
            description = "continuous or available-now. Default: ${DEFAULT-VALUE}.")
    String trigger;

    @Override
    public Integer call() throws Exception {
        LakeshiftConfig config = EmbeddedKafkaAddress.resolve(common.load(), "pipelines run");
        StreamingApplyJob.Mode mode = switch (trigger) {
            case "continuous" -> StreamingApplyJob.Mode.CONTINUOUS;
            case "available-now" -> StreamingApplyJob.Mode.AVAILABLE_NOW;
            default -> throw new ConfigException("--trigger", "must be continuous or available-now, not '" + trigger + "'");
        };
        String name = source != null ? source : config.sources().get(0).name();
        if (config.source(name).isEmpty()) {
            throw new ConfigException("--source", "'" + name + "' is not a declared source");
        }
        for (String created : LakeTableProvisioner.ensure(config, config.pipelinesOf(name))) {
            System.out.println("created lake table " + created + " from its source's schema");
        }
        SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-apply-" + name)).getOrCreate();
        try (RunningApply apply = StreamingApplyJob.start(spark, config, name, mode)) {
            Runtime.getRuntime().addShutdownHook(new Thread(apply::close, "lakeshift-apply-shutdown"));
            System.out.println("pipelines of source '" + name + "' running (" + trigger + "); status: lakeshift pipelines status");
            while (!apply.ended()) {
                Map<String, Throwable> transientFailures = apply.transientFailures();
                if (!transientFailures.isEmpty()) {
                    // a pipeline that a restart heals: end the job so that its supervisor ('lakeshift up',
                    // systemd, Kubernetes) starts it again; every pipeline resumes from its own checkpoint
                    String pipeline = transientFailures.keySet().iterator().next();
                    System.err.println("pipelines run: pipeline " + pipeline + " failed on an error a restart can heal ("
                            + transientFailures.get(pipeline).getMessage().lines().findFirst().orElse("") + "); stopping the job"
                            + " so that it is started again");
                    return EXIT_RESTART;
                }
                Thread.sleep(1_000);
            }
            apply.awaitTermination();
        } finally {
            spark.stop();
        }
        return 0;
    }
}
