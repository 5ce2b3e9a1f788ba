package io.lakeshift.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.JobArguments;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.LogicalType;
import io.lakeshift.core.jdbc.SourceConnections;
import io.lakeshift.lakehouse.CatalogProperties;
import io.lakeshift.lakehouse.LakeshiftColumns;
import io.lakeshift.lakehouse.SnapshotProtection;
import io.lakeshift.lakehouse.SourceTable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy full-reload job, as the nightly batch did it but consistent: reads a whole source
 * table over JDBC in parallel partitions, all partitions within one snapshot of the source
 * ({@link SourceSnapshot}), and replaces the Iceberg table's content in one commit. The commit's
 * snapshot summary records where in the source the read was taken ({@value #SOURCE_POSITION},
 * e.g. {@code lsn=0/16B3748}), so a reconciliation can compare the table with the streaming side
 * at the same source position.
 *
 * <pre>
 * spark-submit --class io.lakeshift.batch.FullReloadJob lakeshift-jobs.jar --config lakeshift.yaml --pipeline retail.orders
 * lakeshift batch run full-reload --pipeline retail.orders --partitions 8
 * </pre>
 *
 * Options: {@code --pipeline NAME} (its source, source table and target), {@code --partitions N}
 * (default: twice Spark's parallelism), {@code --partition-column COL} (default: a single integer
 * primary key column), {@code --snapshot auto|slot|export}, {@code --branch NAME} (write to a branch
 * instead of main).
 */
public final class FullReloadJob {

    /** Snapshot summary key: the source position the reload read at. */
    public static final String SOURCE_POSITION = CatalogProperties.SUMMARY_PREFIX + "source-position";
    /** Snapshot summary key: how the source snapshot was taken ({@code replication-slot}: exact; {@code exported-snapshot}: an upper bound). */
    public static final String SOURCE_SNAPSHOT = CatalogProperties.SUMMARY_PREFIX + "source-snapshot";
    /** Snapshot summary key: rows the source held in that snapshot. */
    public static final String SOURCE_ROWS = CatalogProperties.SUMMARY_PREFIX + "source-rows";
    /** Snapshot summary key: the source table. */
    public static final String SOURCE_TABLE = CatalogProperties.SUMMARY_PREFIX + "source-table";

    static final Set<String> OPTIONS = Set.of("pipeline", "partitions", "partition-column", "snapshot", "branch");
    private static final Logger LOG = LoggerFactory.getLogger(FullReloadJob.class);
    private static final int FETCH_SIZE = 10_000;

    /**
     * How a reload runs.
     *
     * @param partitions parallel JDBC partitions, 0 for twice Spark's default parallelism
     * @param partitionColumn numeric column to split on, null for the single integer key column (no split without one)
     * @param method how to take the source snapshot, null for the replication slot with a fallback
     * @param branch Iceberg branch to write, null for main
     */
    public record Options(int partitions, String partitionColumn, SourceSnapshot.Method method, String branch) {

        public static Options defaults() {
            return new Options(0, null, null, null);
        }

        static Options parse(JobArguments arguments) {
            String partitions = arguments.option("partitions", "0");
            int n;
            try {
                n = Integer.parseInt(partitions);
            } catch (NumberFormatException e) {
                throw new ConfigException("--partitions", "must be a whole number, got '" + partitions + "'");
            }
            String method = arguments.option("snapshot", "auto");
            return new Options(n, arguments.option("partition-column", null),
                    "auto".equals(method) ? null : SourceSnapshot.Method.parse(method), arguments.option("branch", null));
        }
    }

    /**
     * What a reload did.
     *
     * @param target the Iceberg table ({@code catalog.namespace.table})
     * @param rows rows written, equal to the rows the source held in the snapshot
     * @param sourcePosition where the source was read ({@code lsn=...})
     * @param method how the snapshot was taken
     * @param snapshotId the Iceberg snapshot holding the reloaded content
     * @param partitions JDBC partitions read in parallel
     * @param durationMs wall time
     */
    public record Result(String target, long rows, String sourcePosition, String method, long snapshotId, int partitions,
            long durationMs) {

        public String summaryLine() {
            return String.format("reloaded %s: %,d rows at %s (%s, %d partitions) in %.1f s, snapshot %d", target, rows,
                    sourcePosition, method, partitions, durationMs / 1000.0, snapshotId);
        }
    }

    private FullReloadJob() {
    }

    public static void main(String[] args) throws Exception {
        BatchJobs.runMain(new Job(), args);
    }

    /** The job name that marks a pipeline's reload commits. */
    public static String jobName(String pipeline) {
        return "full-reload-" + pipeline;
    }

    /**
     * Reloads a pipeline's table from its source.
     *
     * @throws IllegalStateException when the rows written differ from the rows in the source
     *     snapshot; the table is rolled back to its previous snapshot first
     */
    public static Result run(SparkSession spark, LakeshiftConfig config, PipelineConfig pipeline, Options options)
            throws SQLException {
        long started = System.currentTimeMillis();
        SourceConfig source = config.source(pipeline.source())
                .orElseThrow(() -> new IllegalArgumentException("pipeline " + pipeline.name() + ": no source " + pipeline.source()));
        String target = config.catalog().name() + "." + pipeline.target();
        Table table = loadTable(spark, target);
        Long previous = headOf(table, options.branch());
        try (SourceSnapshot snapshot = SourceSnapshot.open(source, options.method())) {
            SourceTable columns = SourceTable.read(snapshot.reader(), pipeline.sourceSchema(), pipeline.sourceTable());
            String partitionColumn = partitionColumn(columns, pipeline, options);
            long sourceRows;
            long[] bounds = null;
            try (Statement st = snapshot.reader().createStatement()) {
                String from = qualified(pipeline.sourceSchema(), pipeline.sourceTable());
                String sql = partitionColumn == null ? "SELECT count(*) FROM " + from
                        : "SELECT count(*), min(" + quote(partitionColumn) + "), max(" + quote(partitionColumn) + ") FROM " + from;
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    sourceRows = rs.getLong(1);
                    if (partitionColumn != null && rs.getObject(2) != null) {
                        bounds = new long[] {rs.getLong(2), rs.getLong(3)};
                    }
                }
            }
            int partitions = bounds == null ? 1
                    : Math.max(1, options.partitions() > 0 ? options.partitions() : 2 * spark.sparkContext().defaultParallelism());
            DataFrameReader reader = spark.read().format("jdbc")
                    .option("url", source.jdbcUrl())
                    .options(SourceConnections.options(source))
                    .option("dbtable", "(" + selectFor(columns) + ") ls_source")
                    .option("fetchsize", Integer.toString(FETCH_SIZE))
                    .option("sessionInitStatement", snapshot.sessionInitStatement());
            if (bounds != null && partitions > 1) {
                reader = reader.option("partitionColumn", partitionColumn)
                        .option("lowerBound", Long.toString(bounds[0]))
                        .option("upperBound", Long.toString(bounds[1] + 1))
                        .option("numPartitions", Integer.toString(partitions));
            } else {
                partitions = 1;
            }
            Dataset<Row> rows = aligned(reader.load(), spark.table(target), pipeline);
            Map<String, String> summary = new HashMap<>();
            summary.put(SnapshotProtection.JOB, jobName(pipeline.name()));
            summary.put(SOURCE_POSITION, snapshot.position());
            summary.put(SOURCE_SNAPSHOT, snapshot.method().label());
            summary.put(SOURCE_ROWS, Long.toString(sourceRows));
            summary.put(SOURCE_TABLE, source.name() + ":" + pipeline.table());
            var writer = rows.writeTo(options.branch() == null ? target : target + ".branch_" + options.branch());
            for (Map.Entry<String, String> e : summary.entrySet()) {
                writer = writer.option("snapshot-property." + e.getKey(), e.getValue());
            }
            try {
                writer.overwrite(lit(true));
            } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
                throw new IllegalStateException("table " + target + " disappeared during the reload", e);
            }

            table.refresh();
            Snapshot written = table.snapshot(headOf(table, options.branch()));
            long added = Long.parseLong(written.summary().getOrDefault("added-records", "0"));
            if (added != sourceRows || !snapshot.position().equals(written.summary().get(SOURCE_POSITION))) {
                rollBack(table, options.branch(), previous);
                throw new IllegalStateException("reload of " + target + " wrote " + added + " rows but the source snapshot held "
                        + sourceRows + "; the table was rolled back to its previous snapshot");
            }
            Result result = new Result(target, added, snapshot.position(), snapshot.method().label(), written.snapshotId(),
                    partitions, System.currentTimeMillis() - started);
            LOG.info("Full reload: {}", result.summaryLine());
            return result;
        }
    }

    /** The source table read as the target's columns: types cast, bookkeeping columns empty. */
    static Dataset<Row> aligned(Dataset<Row> source, Dataset<Row> target, PipelineConfig pipeline) {
        List<String> sourceColumns = List.of(source.columns());
        List<Column> columns = new ArrayList<>();
        for (StructField field : target.schema().fields()) {
            if (LakeshiftColumns.isBookkeeping(field.name())) {
                // A reloaded row was not written by a change: any later change may overwrite it.
                columns.add(lit(null).cast(field.dataType()).as(field.name()));
            } else if (sourceColumns.contains(field.name())) {
                columns.add(col(quote(field.name(), '`')).cast(field.dataType()).as(field.name()));
            } else {
                LOG.warn("Pipeline {}: table column {} is not in the source any more; reloaded as NULL", pipeline.name(),
                        field.name());
                columns.add(lit(null).cast(field.dataType()).as(field.name()));
            }
        }
        for (String c : sourceColumns) {
            if (target.schema().getFieldIndex(c).isEmpty()) {
                throw new IllegalStateException("pipeline " + pipeline.name() + ": source column " + c
                        + " is not in the table; evolve the table's schema before reloading");
            }
        }
        return source.select(columns.toArray(Column[]::new));
    }

    /**
     * The source query: every column, with the ones Lakeshift stores as text rendered by the source
     * the way change data capture renders them (docs/type-mapping.md): json as PostgreSQL prints
     * it, arrays as JSON, a time of day as {@code HH:mm:ss.ffffff}, a timetz in UTC with {@code Z},
     * money as a number, bit strings, enums and other text-stored types as their text.
     */
    static String selectFor(SourceTable table) {
        List<String> items = new ArrayList<>();
        for (SourceTable.SourceColumn c : table.columns()) {
            String name = quote(c.name());
            String type = c.sourceType() == null ? "" : c.sourceType().toLowerCase(Locale.ROOT);
            LogicalType.Kind kind = c.type().kind();
            if (type.startsWith("_")) {
                items.add("array_to_json(" + name + ")::text AS " + name);
            } else if (type.equals("time")) {
                items.add("to_char(" + name + ", 'HH24:MI:SS.US') AS " + name);
            } else if (type.equals("timetz")) {
                items.add("to_char((" + name + " AT TIME ZONE 'UTC')::time, 'HH24:MI:SS.US') || 'Z' AS " + name);
            } else if (type.equals("money")) {
                items.add(name + "::numeric AS " + name);
            } else if ((kind == LogicalType.Kind.STRING || kind == LogicalType.Kind.JSON || kind == LogicalType.Kind.UUID)
                    && !Set.of("text", "varchar", "bpchar", "char", "name").contains(type)) {
                items.add(name + "::text AS " + name);
            } else {
                items.add(name);
            }
        }
        return "SELECT " + String.join(", ", items) + " FROM " + qualified(table.schema(), table.table());
    }

    private static String partitionColumn(SourceTable table, PipelineConfig pipeline, Options options) {
        if (options.partitionColumn() != null) {
            return options.partitionColumn();
        }
        List<String> key = pipeline.key().isEmpty() ? table.primaryKey() : pipeline.key();
        if (key.isEmpty()) {
            return null;
        }
        // The first key column when it is an integer: its range splits evenly enough.
        for (SourceTable.SourceColumn c : table.columns()) {
            if (c.name().equals(key.get(0)) && Set.of(LogicalType.Kind.INT16, LogicalType.Kind.INT32, LogicalType.Kind.INT64)
                    .contains(c.type().kind())) {
                return c.name();
            }
        }
        return null;
    }

    private static Table loadTable(SparkSession spark, String target) {
        try {
            return Spark3Util.loadIcebergTable(spark, target);
        } catch (Exception e) {
            throw new IllegalStateException("table " + target + " does not exist; it is created from the source schema"
                    + " when the pipeline starts: " + e.getMessage(), e);
        }
    }

    private static Long headOf(Table table, String branch) {
        if (branch == null) {
            return table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
        }
        var ref = table.refs().get(branch);
        return ref == null ? null : ref.snapshotId();
    }

    private static void rollBack(Table table, String branch, Long previous) {
        if (previous == null) {
            LOG.error("Reload of {} is inconsistent and the table had no earlier snapshot to return to", table.name());
            return;
        }
        if (branch == null) {
            table.manageSnapshots().rollbackTo(previous).commit();
        } else {
            table.manageSnapshots().replaceBranch(branch, previous).commit();
        }
    }

    private static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    private static String quote(String identifier) {
        return quote(identifier, '"');
    }

    private static String quote(String identifier, char q) {
        return q + identifier.replace(String.valueOf(q), String.valueOf(q) + q) + q;
    }

    /** {@code lakeshift batch run full-reload --pipeline NAME}. */
    static final class Job implements BatchJob {

        @Override
        public String name() {
            return "full-reload";
        }

        @Override
        public String description() {
            return "reload a pipeline's table from its source in one consistent read (--pipeline NAME)";
        }

        @Override
        public Set<String> options() {
            return OPTIONS;
        }

        @Override
        public String run(SparkSession spark, LakeshiftConfig config, JobArguments arguments) throws SQLException {
            String name = arguments.option("pipeline", null);
            if (name == null) {
                throw new ConfigException("--pipeline", "is required; pipelines are "
                        + config.pipelines().stream().map(PipelineConfig::name).toList());
            }
            PipelineConfig pipeline = config.pipeline(name).orElseThrow(() -> new ConfigException("--pipeline",
                    "no pipeline '" + name + "'; pipelines are " + config.pipelines().stream().map(PipelineConfig::name).toList()));
            return FullReloadJob.run(spark, config, pipeline, Options.parse(arguments)).summaryLine();
        }
    }
}
