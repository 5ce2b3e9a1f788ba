package io.lakeshift.cli.migrate;

import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.time.Durations;
import io.lakeshift.lakehouse.SparkSettings;
import io.lakeshift.streaming.RunningApply;
import io.lakeshift.streaming.StreamingApplyJob;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The INCREMENTAL stage's job: the streaming apply job with an available-now trigger, run once per
 * tick of the batch DAG's old cadence ({@code --cadence}: {@code @hourly}, {@code @daily},
 * {@code @weekly}, a duration such as {@code 15m}, or a cron {@code M H * * *}), UTC. Started and
 * stopped by the migration engine through the job launcher.
 */
public final class IncrementalRunner {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalRunner.class);

    private IncrementalRunner() {
    }

    public static void main(String[] args) throws Exception {
        JobArguments arguments = JobArguments.parse(args, Set.of("source", "cadence"));
        LakeshiftConfig config = arguments.loadConfig();
        String source = arguments.option("source", config.sources().get(0).name());
        String cadence = arguments.option("cadence", "@hourly");
        SparkSession spark = SparkSession.builder().config(SparkSettings.of(config, "lakeshift-incremental-" + source)).getOrCreate();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try (RunningApply apply = StreamingApplyJob.start(spark, config, source, StreamingApplyJob.Mode.AVAILABLE_NOW)) {
                    apply.awaitTermination();
                }
                ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                ZonedDateTime next = next(cadence, now);
                LOG.info("Incremental run of {} done; next at {}", source, next);
                Thread.sleep(Math.max(0, Duration.between(now, next).toMillis()));
            }
        } finally {
            spark.stop();
        }
    }

    /** The next tick of a cadence after {@code now}. */
    static ZonedDateTime next(String cadence, ZonedDateTime now) {
        String c = cadence.strip();
        switch (c) {
            case "@hourly":
                return now.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            case "@daily":
            case "@midnight":
                return now.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            case "@weekly":
                return now.truncatedTo(ChronoUnit.DAYS).plusDays(8 - now.getDayOfWeek().getValue() % 7).withHour(0);
            default:
                break;
        }
        String[] f = c.split("\\s+");
        if (f.length == 5 && f[2].equals("*") && f[3].equals("*") && f[4].equals("*")) {
            int minute = Integer.parseInt(f[0]);
            if (f[1].equals("*")) {
                ZonedDateTime t = now.truncatedTo(ChronoUnit.HOURS).withMinute(minute);
                return t.isAfter(now) ? t : t.plusHours(1);
            }
            ZonedDateTime t = now.truncatedTo(ChronoUnit.DAYS).withHour(Integer.parseInt(f[1])).withMinute(minute);
            return t.isAfter(now) ? t : t.plusDays(1);
        }
        try {
            return now.plus(Durations.parse(c));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cadence '" + cadence + "' is not supported: use @hourly, @daily, @weekly,"
                    + " a duration (15m) or a cron 'M H * * *'", e);
        }
    }
}
