package io.lakeshift.cli.pipelines;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.runtime.stack.EmbeddedKafkaAddress;
import io.lakeshift.runtime.stack.LakeTableProvisioner;
import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.streaming.RunningApply;
import io.lakeshift.streaming.StreamingApplyJob;
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
            "'embedded', uses the broker of the data folder that 'lakeshift up' (or 'lakeshift broker') runs."})
public final class PipelinesRunCommand implements Callable<Integer> {

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
            apply.awaitTermination();
        } finally {
            spark.stop();
        }
        return 0;
    }
}
