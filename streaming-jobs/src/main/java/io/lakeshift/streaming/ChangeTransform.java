package io.lakeshift.streaming;

import static org.apache.spark.sql.functions.col;

import io.lakeshift.lakehouse.LakeshiftColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A pipeline's optional SQL transform: Spark SQL over the view {@value #VIEW} (a batch's valid,
 * typed changes: the table's columns and {@code _ls_op}, {@code _ls_seq_hi}, {@code _ls_seq_lo},
 * {@code _ls_source_ts}), applied before the changes reach the current-state table. The changelog
 * keeps the events as they came. The result must keep the key and those bookkeeping columns
 * ({@code SELECT *} keeps them) and may only return columns the table has; a column it leaves
 * out is left as it is by an update (null in an insert).
 */
final class ChangeTransform {

    static final String VIEW = "changes";

    private static final List<String> BOOKKEEPING = List.of(LakeTables.OP, LakeshiftColumns.SEQ_HI, LakeshiftColumns.SEQ_LO,
            LakeshiftColumns.SOURCE_TS);

    private ChangeTransform() {
    }

    /** What a transform reads: the valid changes' table columns and bookkeeping, nothing internal. */
    static Dataset<Row> changes(Dataset<Row> valid, ApplyTarget target) {
        List<Column> columns = new ArrayList<>();
        target.columns().forEach(c -> columns.add(col(ChangeBatchApplier.MergeStatement.q(c.name()))));
        if (target.keyless()) {
            columns.add(col(LakeshiftColumns.ROW_KEY));
        }
        BOOKKEEPING.forEach(c -> columns.add(col(c)));
        return valid.select(columns.toArray(Column[]::new));
    }

    /**
     * The changes to apply to the table: {@code changes} itself without a transform, else the
     * transform's result, checked before anything of the batch is written.
     *
     * @throws PipelineTransformException naming the pipeline and the problem
     */
    static Dataset<Row> apply(SparkSession spark, ApplyTarget target, Dataset<Row> changes) {
        if (target.transform() == null) {
            return changes;
        }
        changes.createOrReplaceTempView(VIEW);
        Dataset<Row> result;
        try {
            result = spark.sql(target.transform());
        } catch (Exception e) { // AnalysisException and ParseException are checked in Scala's eyes: catch them all
            throw new PipelineTransformException("pipeline " + target.pipeline() + ": its transform cannot run on the view '"
                    + VIEW + "' of the batch's changes: " + firstLine(e) + stopped(), e);
        }
        Map<String, String> returned = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String c : result.columns()) {
            if (returned.put(c.toLowerCase(Locale.ROOT), c) != null) {
                problems.add("it returns column " + c + " more than once");
            }
        }
        List<String> missingKeys = target.key().stream().filter(k -> !returned.containsKey(k.toLowerCase(Locale.ROOT))).toList();
        if (!missingKeys.isEmpty()) {
            problems.add("it drops the key column(s) " + String.join(", ", missingKeys)
                    + " (a transform must keep the key columns)");
        }
        List<String> missingBookkeeping = BOOKKEEPING.stream().filter(c -> !returned.containsKey(c)).toList();
        if (!missingBookkeeping.isEmpty()) {
            problems.add("it drops the column(s) " + String.join(", ", missingBookkeeping)
                    + " that order the changes (SELECT *, ... keeps them)");
        }
        List<String> known = new ArrayList<>(BOOKKEEPING);
        if (target.keyless()) {
            known.add(LakeshiftColumns.ROW_KEY);
        }
        target.columns().forEach(c -> known.add(c.name().toLowerCase(Locale.ROOT)));
        List<String> unknown = returned.entrySet().stream().filter(e -> !known.contains(e.getKey())).map(Map.Entry::getValue).toList();
        if (!unknown.isEmpty()) {
            problems.add("it returns column(s) " + String.join(", ", unknown) + " that table " + target.table() + " does not have");
        }
        if (!problems.isEmpty()) {
            throw new PipelineTransformException("pipeline " + target.pipeline() + ": its transform cannot be applied: "
                    + String.join("; ", problems) + stopped());
        }
        return result;
    }

    /** The table columns, in table order, that the transformed changes carry. */
    static List<String> columnsOf(Dataset<Row> changes, ApplyTarget target) {
        List<String> present = new ArrayList<>();
        for (String c : changes.columns()) {
            present.add(c.toLowerCase(Locale.ROOT));
        }
        return target.columns().stream().map(ApplyTarget.TargetColumn::name)
                .filter(c -> present.contains(c.toLowerCase(Locale.ROOT))).toList();
    }

    private static String stopped() {
        return ". The pipeline stopped; fix its transform and restart it.";
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A pipeline's transform cannot be applied; the pipeline stops. */
    static final class PipelineTransformException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        PipelineTransformException(String message) {
            super(message);
        }

        PipelineTransformException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
